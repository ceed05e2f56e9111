import type { Tx } from './write-queue.js';

interface Group<T> {
  readonly items: T[];
  readonly keys: Set<string>;
  readonly sent: Promise<void>;
}

/**
 * Writes of one kind asked for in one turn of the event loop on one transaction (the jobs of a
 * batch start together: write-queue.ts), sent as one statement at the end of that turn: a
 * statement per write is a message, a bind, an executor start and an answer for each side, more
 * than a row more of arrays costs. Each write settles as its statement does; one that fails fails
 * them all, and the write queue then runs each write alone (with a savepoint each), where a group
 * is of one.
 *
 * `key` names what two items of one statement must not share (an effect's id: a statement
 * changes a row once): an item whose key is in the open group goes in the next one, sent after
 * it, so writes keep the order they were asked in.
 */
export class Coalesced<T> {
  readonly #open = new WeakMap<Tx, Group<T>>();
  readonly #send: (tx: Tx, items: readonly T[]) => Promise<unknown>;
  readonly #key: (item: T) => string;

  constructor(send: (tx: Tx, items: readonly T[]) => Promise<unknown>, key: (item: T) => string) {
    this.#send = send;
    this.#key = key;
  }

  add(tx: Tx, item: T): Promise<void> {
    const key = this.#key(item);
    const open = this.#open.get(tx);
    if (open?.keys.has(key)) return open.sent.then(() => this.add(tx, item));
    const group = open ?? this.#group(tx);
    group.items.push(item);
    group.keys.add(key);
    return group.sent;
  }

  #group(tx: Tx): Group<T> {
    const items: T[] = [];
    const sent = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      // Closed: what is added from now on goes in another statement.
      if (this.#open.get(tx) === group) this.#open.delete(tx);
      await this.#send(tx, items);
    });
    const group: Group<T> = { items, keys: new Set(), sent };
    this.#open.set(tx, group);
    return group;
  }
}
