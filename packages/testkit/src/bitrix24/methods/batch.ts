import { phpMap } from '../envelope.js';
import { RestError } from '../errors.js';
import { decodePhpQuery } from '../php-query.js';
import type { MethodTable, Params } from './types.js';

export const MAX_BATCH = 50;

const REFERENCE = /\$result\[([^\]]+)\]((?:\[[^\]]*\])*)/g;

function lookup(results: Record<string, unknown>, id: string, path: string): unknown {
  let value: unknown = results[id];
  for (const match of path.matchAll(/\[([^\]]*)\]/g)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[match[1] ?? ''];
  }
  return value;
}

/**
 * `$result[cmd][FIELD]` / `$result[cmd][0][ID]` in a later command's decoded values (the SDK
 * URL-encodes the brackets, so substitution must come after decoding). A value that is only a
 * reference takes the referenced value; inside text it is interpolated. An unresolvable reference
 * is left as written (unverified what the portal does).
 */
function substitute(value: unknown, results: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    if (!value.includes('$result[')) return value;
    const whole = /^\$result\[([^\]]+)\]((?:\[[^\]]*\])*)$/.exec(value);
    if (whole) {
      const found = lookup(results, whole[1] ?? '', whole[2] ?? '');
      return found === undefined ? value : found;
    }
    return value.replace(REFERENCE, (text, id: string, path: string) => {
      const found = lookup(results, id, path);
      return found === undefined || typeof found === 'object' ? text : String(found);
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, results));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, results)]));
  }
  return value;
}

/** A PHP array: keys 0…n-1 in order print as a JSON list, an empty one as `[]`. */
function phpArray(map: Record<string, unknown>): unknown {
  const keys = Object.keys(map);
  if (keys.length > 0 && keys.every((key, index) => key === String(index))) return Object.values(map);
  return phpMap(map);
}

function commands(cmd: unknown): [string, string][] {
  if (Array.isArray(cmd)) return cmd.map((command, index) => [String(index), String(command)]);
  if (typeof cmd === 'object' && cmd !== null) return Object.entries(cmd).map(([id, c]) => [id, String(c)]);
  return [];
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true' || v === 'Y';

/**
 * `batch` (BITRIX24.md §7): ≤ 50 `"method?query"` commands run in order with the caller's
 * credential; HTTP 200 even when commands fail; `halt` stops at the first failure. The outer call
 * is one request for the leaky bucket and not counted for operating time; each command is.
 */
export const batchMethods: MethodTable = {
  batch: {
    scope: undefined,
    async handle(params, ctx) {
      const list = commands(params.cmd);
      if (list.length > MAX_BATCH) {
        throw new RestError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', `Max batch length exceeded ${MAX_BATCH}`);
      }
      const halt = truthy(params.halt);
      const result: Record<string, unknown> = {};
      const errors: Record<string, unknown> = {};
      const totals: Record<string, unknown> = {};
      const nexts: Record<string, unknown> = {};
      const times: Record<string, unknown> = {};
      for (const [id, command] of list) {
        const q = command.indexOf('?');
        const method = (q < 0 ? command : command.slice(0, q))
          .trim()
          .toLowerCase()
          .replace(/\.json$/, '');
        if (method === 'batch') {
          errors[id] = {
            error: 'ERROR_BATCH_METHOD_NOT_ALLOWED',
            error_description: 'Method is not allowed for batch usage',
          };
          if (halt) break;
          continue;
        }
        const commandParams = substitute(decodePhpQuery(q < 0 ? '' : command.slice(q + 1)), result) as Params;
        delete commandParams.auth;
        const outcome = await ctx.sim.call(method, commandParams, ctx);
        if (outcome.ok) {
          result[id] = outcome.value.result;
          if (outcome.value.total !== undefined) totals[id] = outcome.value.total;
          if (outcome.value.next !== undefined) nexts[id] = outcome.value.next;
          // Per-command times lack the operating pair (BITRIX24.md §1).
          const { operating: _o, operating_reset_at: _r, ...time } = outcome.time;
          times[id] = time;
        } else {
          errors[id] = outcome.body;
          if (halt) break;
        }
      }
      return {
        result: {
          result: phpArray(result),
          result_error: phpArray(errors),
          result_total: phpArray(totals),
          result_next: phpArray(nexts),
          result_time: phpArray(times),
        },
      };
    },
  },
};
