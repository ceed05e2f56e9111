import { isoWithOffset } from '../dates.js';

export type Item = Record<string, unknown>;

/**
 * Items of one smart process (`crm.item.*`, entityTypeId ≥ 128): camelCase keys, numbers as numbers
 * (BITRIX24.md §4.4), unlike the string-typed v2 entities.
 */
export class ItemStore {
  readonly entityTypeId: number;
  readonly title: string;
  readonly #items = new Map<number, Item>();
  #nextId = 1;

  constructor(entityTypeId: number, title: string) {
    this.entityTypeId = entityTypeId;
    this.title = title;
  }

  add(fields: Item, now: number, offsetMinutes: number, userId = 1): number {
    const id = this.#nextId++;
    const stamp = isoWithOffset(now, offsetMinutes);
    this.#items.set(id, {
      id,
      title: null,
      stageId: `DT${this.entityTypeId}_1:NEW`,
      assignedById: userId,
      createdBy: userId,
      createdTime: stamp,
      updatedTime: stamp,
      opened: 'Y',
      ...fields,
      entityTypeId: this.entityTypeId,
    });
    return id;
  }

  get(id: number): Item | undefined {
    const item = this.#items.get(id);
    return item && { ...item };
  }

  items(): IterableIterator<Item> {
    return this.#items.values();
  }

  all(): Item[] {
    return [...this.#items.values()].map((item) => ({ ...item }));
  }
}
