import { PermanentError, type PortError, TransientError } from '@prozvon/sdk';
import { deadlinePassed } from './deadline.js';
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

/**
 * Sends one `batch` request (`cmd` = id → `"method?query"`, halt 0); throws a PortError on failure.
 * `signal` aborts when no caller waits for the answer any more: the request may be abandoned.
 */
export type SendBatch = (cmd: Record<string, string>, signal: AbortSignal) => Promise<BatchAnswer>;

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
  /** Each command as a batch line (`method?query`), encoded when it was queued. */
  readonly lines: readonly string[];
  readonly ids: readonly string[];
  /** Set once the caller has its answer, or gave up at its deadline. */
  settled: boolean;
  /** The request carrying this group, once sent. */
  batch?: Batch;
  resolve(outcomes: CommandOutcome[]): void;
  reject(error: PortError): void;
}

/** One `batch` request in flight and the groups riding on it. */
interface Batch {
  readonly groups: readonly Pending[];
  /** Aborted when every group's caller has given up: nobody is left to read the answer. */
  readonly controller: AbortController;
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
 *
 * Up to 50 leads' commands share a request, so nothing one caller brings may fail the others: a
 * command that cannot be encoded fails alone, before it is queued, and a caller whose deadline
 * passes leaves alone — its batch goes on for the rest, and is abandoned only when every caller
 * in it has left.
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
  async run(command: RestCommand, signal?: AbortSignal): Promise<unknown> {
    const [outcome] = await this.runGroup([command], signal);
    if (outcome === undefined) throw new TransientError(`Bitrix24: no answer for ${command.method}`);
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  /**
   * Runs commands in one batch, in order; each gets its own outcome. Rejects only when the request
   * as a whole failed (network, auth, rate limit), since then no command's fate is known; when a
   * command cannot be written as a query (PermanentError: no request is sent for the group); or
   * when `signal` aborts first (TransientError: the group may have been performed).
   */
  runGroup(commands: readonly RestCommand[], signal?: AbortSignal): Promise<CommandOutcome[]> {
    if (commands.length === 0) return Promise.resolve([]);
    if (commands.length > MAX_BATCH_COMMANDS) {
      return Promise.reject(new RangeError(`a group holds at most ${MAX_BATCH_COMMANDS} commands`));
    }
    const what = commands.map((command) => command.method).join(' + ');
    if (signal?.aborted) return Promise.reject(deadlinePassed(what, signal));
    const ids = commands.map(() => `c${this.#nextId++}`);
    let lines: string[];
    try {
      lines = commands.map((command) => commandLine(command, ids));
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        commands,
        lines,
        ids,
        settled: false,
        resolve: (outcomes) => {
          if (pending.settled) return;
          pending.settled = true;
          signal?.removeEventListener('abort', leave);
          resolve(outcomes);
        },
        reject: (error) => {
          if (pending.settled) return;
          pending.settled = true;
          signal?.removeEventListener('abort', leave);
          reject(error);
        },
      };
      const leave = () => this.#leave(pending, deadlinePassed(what, signal as AbortSignal));
      signal?.addEventListener('abort', leave, { once: true });
      this.#queue.push(pending);
      this.#schedule();
    });
  }

  /** A caller gave up: out of the queue if still there, and its batch abandoned if it was the last. */
  #leave(pending: Pending, error: PortError): void {
    pending.reject(error);
    const queued = this.#queue.indexOf(pending);
    if (queued !== -1) this.#queue.splice(queued, 1);
    const batch = pending.batch;
    if (batch?.groups.every((group) => group.settled)) batch.controller.abort();
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
      const batch: Batch = { groups: taken, controller: new AbortController() };
      for (const group of taken) group.batch = batch;
      this.#inFlight++;
      void this.#dispatch(batch).finally(() => {
        this.#inFlight--;
        this.#schedule();
      });
    }
  }

  async #dispatch({ groups, controller }: Batch): Promise<void> {
    const cmd: Record<string, string> = {};
    for (const group of groups) {
      group.ids.forEach((id, index) => {
        cmd[id] = group.lines[index] ?? '';
      });
    }
    let answer: BatchAnswer;
    try {
      answer = await this.#send(cmd, controller.signal);
    } catch (error) {
      const mapped = toCrmError(error);
      for (const group of groups) group.reject(mapped);
      return;
    }
    const results = asMap(answer.result);
    const errors = asMap(answer.result_error);
    for (const group of groups) {
      group.resolve(
        group.ids.map((id, index): CommandOutcome => {
          const method = group.commands[index]?.method ?? '';
          if (id in errors) return { ok: false, error: commandError(errors[id]) };
          if (id in results) return { ok: true, result: results[id] };
          // Neither result nor error: the portal skipped it (halt) or lost it; nothing is known.
          return { ok: false, error: new TransientError(`Bitrix24: no answer for ${method} in batch`) };
        }),
      );
    }
  }
}

/**
 * A command as a batch line. Encoding fails on text that is not well-formed Unicode (a lone
 * surrogate in a customer's name makes `encodeURIComponent` throw URIError): the same command
 * would fail again on every retry, so it is a PermanentError, and only this command's.
 */
function commandLine(command: RestCommand, ids: readonly string[]): string {
  let query: string;
  try {
    query = encodePhpQuery(rewriteReferences(command.params, ids) as Record<string, unknown>);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PermanentError(`Bitrix24 ${command.method}: its params cannot be sent (${reason})`, {
      cause: error,
    });
  }
  return query === '' ? command.method : `${command.method}?${query}`;
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
