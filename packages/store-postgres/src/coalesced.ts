interface Group<T, R> {
  readonly items: T[];
  readonly keys: Set<string>;
  readonly sent: Promise<R>;
}

/**
 * Calls of one kind asked for in one turn of the event loop in one scope (a write transaction,
 * whose jobs start together: write-queue.ts; or the store, for reads), sent as one statement at
 * the end of that turn: a statement per call is a message, a bind, an executor start and an
 * answer on each side, and a system call to send it, more than a row more costs. Each call settles
 * as its statement does, with its answer; one that fails fails them all (the write queue then runs
 * each write alone, with a savepoint each, where a group is of one).
 *
 * `key`, when given, names what two items of one statement must not share (an effect's id: a
 * statement changes a row once; one or several): an item with a key in the open group goes in the
 * next one, sent after it, so calls keep the order they were asked in.
 */
export class Coalesced<S extends object, T, R> {
  readonly #open = new WeakMap<S, Group<T, R>>();
  readonly #send: (scope: S, items: readonly T[]) => Promise<R>;
  readonly #key: ((item: T) => string | readonly string[]) | undefined;

  constructor(
    send: (scope: S, items: readonly T[]) => Promise<R>,
    key?: (item: T) => string | readonly string[],
  ) {
    this.#send = send;
    this.#key = key;
  }

  add(scope: S, item: T): Promise<R> {
    const key = this.#key?.(item) ?? [];
    const keys = typeof key === 'string' ? [key] : key;
    const open = this.#open.get(scope);
    if (open !== undefined && keys.some((k) => open.keys.has(k)))
      return open.sent.then(() => this.add(scope, item));
    const group = open ?? this.#group(scope);
    group.items.push(item);
    for (const k of keys) group.keys.add(k);
    return group.sent;
  }

  #group(scope: S): Group<T, R> {
    const items: T[] = [];
    const sent = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      // Closed: what is added from now on goes in another statement.
      if (this.#open.get(scope) === group) this.#open.delete(scope);
      return this.#send(scope, items);
    });
    const group: Group<T, R> = { items, keys: new Set(), sent };
    this.#open.set(scope, group);
    return group;
  }
}
