// Types for durable-log.mjs, which stays JavaScript because the crash child runs it without a transform.
export declare class DurableLog {
  constructor(path: string);
  readonly path: string;
  readonly entries: string[][];
  append(...fields: (string | number)[]): void;
  find(kind: string, key: string): string[] | undefined;
  count(kind: string): number;
}
