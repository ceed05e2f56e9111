import { type PortError, TransientError } from '@prozvon/sdk';
import { fromRestError, toCrmError } from './errors.js';
import { encodePhpQuery } from './php-query.js';

/** One REST method call, as a command of a `batch`. */
export interface RestCommand {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export type CommandOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: PortError };

/** The inner `result` of a `batch` answer: per-command results and errors by command id. */
export interface BatchAnswer {
  readonly result?: unknown;
  readonly result_error?: unknown;
}

/** Sends one `batch` request (`cmd` = id → `"method?query"`, halt 0); throws a PortError on failure. */
export type SendBatch = (cmd: Record<string, string>) => Promise<BatchAnswer>;

/** Bitrix24 runs at most 50 commands per batch (BITRIX24.md §7). */
export const MAX_BATCH_COMMANDS = 50;

/**
 * A later command of a group refers to an earlier one's result (`$result[#0][CALL_ID]`); the batcher
 * rewrites `#0` to the real command id, since ids are only known when the batch is assembled.
 */
export function resultOf(index: number, ...path: string[]): string {
  return `$result[#${index}]${path.map((p) => `[${p}]`).join('')}`;
}

interface Pending {
  readonly commands: readonly RestCommand[];
  resolve(outcomes: CommandOutcome[]): void;
  reject(error: PortError): void;
}

/**
 * Coalesces the commands of every lead in flight into as few `batch` requests as it can.
 *
 * Why: the portal's bucket counts requests, not commands (2 a second, 50 burst, §7), so a burst of
 * leads would spend 3–4 requests each if every look-up and write went alone. Here a command waits
 * only while `maxInFlight` requests are already out — when the portal is idle it leaves on the next
 * turn of the event loop, adding no latency — and whatever queued meanwhile leaves together, up to
 * 50 commands. A group (e.g. register + finish of one call) always shares one batch, so it can use
 * `$result[…]` references. Every request goes out as `batch`, even alone: it costs the same one
 * request, and a failed command keeps the portal's `error_description`, which b24jssdk drops for the
 * legacy empty-code 400s of a direct call (BITRIX24.md §8).
 */
export class RestBatcher {
  readonly #send: SendBatch;
  readonly #maxInFlight: number;
  readonly #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  #nextId = 0;

  constructor(send: SendBatch, maxInFlight = 1) {
    this.#send = send;
    this.#maxInFlight = maxInFlight;
  }

  /** Runs one command; resolves with its `result` or rejects with the PortError it earned. */
  async run(command: RestCommand): Promise<unknown> {
    const [outcome] = await this.runGroup([command]);
    if (outcome === undefined) throw new TransientError(`Bitrix24: no answer for ${command.method}`);
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  /**
   * Runs commands in one batch, in order; each gets its own outcome. Rejects only when the request
   * as a whole failed (network, auth, rate limit), since then no command's fate is known.
   */
  runGroup(commands: readonly RestCommand[]): Promise<CommandOutcome[]> {
    if (commands.length === 0) return Promise.resolve([]);
    if (commands.length > MAX_BATCH_COMMANDS) {
      return Promise.reject(new RangeError(`a group holds at most ${MAX_BATCH_COMMANDS} commands`));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ commands, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: commands issued in the same tick by other leads join this batch.
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const taken: Pending[] = [];
      let size = 0;
      while (this.#queue.length > 0) {
        const next = this.#queue[0];
        if (next === undefined || size + next.commands.length > MAX_BATCH_COMMANDS) break;
        taken.push(next);
        size += next.commands.length;
        this.#queue.shift();
      }
      this.#inFlight++;
      void this.#dispatch(taken).finally(() => {
        this.#inFlight--;
        this.#schedule();
      });
    }
  }

  async #dispatch(groups: readonly Pending[]): Promise<void> {
    const cmd: Record<string, string> = {};
    const ids = groups.map((group) => group.commands.map(() => `c${this.#nextId++}`));
    let answer: BatchAnswer;
    try {
      groups.forEach((group, g) => {
        group.commands.forEach((command, index) => {
          const id = ids[g]?.[index] ?? '';
          const query = encodePhpQuery(
            rewriteReferences(command.params, ids[g] ?? []) as Record<string, unknown>,
          );
          cmd[id] = query === '' ? command.method : `${command.method}?${query}`;
        });
      });
      answer = await this.#send(cmd);
    } catch (error) {
      const mapped = toCrmError(error);
      for (const group of groups) group.reject(mapped);
      return;
    }
    const results = asMap(answer.result);
    const errors = asMap(answer.result_error);
    groups.forEach((group, g) => {
      group.resolve(
        (ids[g] ?? []).map((id, index): CommandOutcome => {
          const method = group.commands[index]?.method ?? '';
          if (id in errors) return { ok: false, error: commandError(errors[id]) };
          if (id in results) return { ok: true, result: results[id] };
          // Neither result nor error: the portal skipped it (halt) or lost it; nothing is known.
          return { ok: false, error: new TransientError(`Bitrix24: no answer for ${method} in batch`) };
        }),
      );
    });
  }
}

/** PHP prints an empty map as `[]`; our ids are never numeric, so a list can only be empty. */
function asMap(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return value as Record<string, unknown>;
}

function commandError(body: unknown): PortError {
  if (typeof body === 'string') return fromRestError(body, '', undefined);
  const { error, error_description } = (body ?? {}) as { error?: unknown; error_description?: unknown };
  return fromRestError(String(error ?? ''), String(error_description ?? ''), undefined);
}

function rewriteReferences(value: unknown, ids: readonly string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$result\[#(\d+)\]/g, (text, index: string) => {
      const id = ids[Number(index)];
      return id === undefined ? text : `$result[${id}]`;
    });
  }
  if (Array.isArray(value)) return value.map((item) => rewriteReferences(item, ids));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteReferences(v, ids)]));
  }
  return value;
}
