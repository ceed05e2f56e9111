/**
 * The oldest Node.js the packages run on. 24.16 is where `crypto.randomUUIDv7()` arrived (lead ids
 * are UUIDv7 so the leads in progress share index pages: engine/lead-id.ts); `node:sqlite` came
 * earlier, without a flag, in 22.13.
 *
 * Node 22 LTS is not served, by choice: it leaves maintenance in April 2027; `node:sqlite` is still
 * experimental there (a warning at every start; a release candidate only from 24.15), and the
 * `timeout` option the store opens with came in a later 22 release than 22.13; a second major in
 * CI doubles a matrix on two shared cores. A kept UUIDv7 package would cover the ids, but nothing
 * here would run on 22 day to day, so a promise to serve it would go untested.
 */
export const MINIMUM_NODE = '24.16.0';

// Fields assigned in the body, not parameter properties: the SQLite store's tests load this in
// worker threads through Node's own type stripping, which refuses parameter properties.
/** A Node.js older than the packages need; thrown at import, before anything else runs. */
export class UnsupportedNodeError extends Error {
  readonly code = 'unsupported_node';
  readonly packageName: string;
  readonly found: string;
  readonly minimum: string;

  constructor(packageName: string, found: string, minimum: string, executable: string) {
    super(
      `${packageName} needs Node.js >= ${minimum}; this is Node.js ${found} (${executable}). ` +
        'Run it on Node 24 LTS, or add the "node" package (^24.16) as a devDependency so that npm scripts use it.',
    );
    this.name = 'UnsupportedNodeError';
    this.packageName = packageName;
    this.found = found;
    this.minimum = minimum;
  }
}

/** Whether `found` (e.g. `20.20.2`, a leading `v` allowed) is at least `minimum`. */
export function isNodeAtLeast(found: string, minimum: string = MINIMUM_NODE): boolean {
  const have = parts(found);
  const need = parts(minimum);
  for (let i = 0; i < 3; i += 1) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** Throws UnsupportedNodeError naming `packageName` and the Node found, when it is too old. */
export function assertNodeVersion(
  packageName: string,
  found: string = process.versions.node,
  minimum: string = MINIMUM_NODE,
): void {
  if (!isNodeAtLeast(found, minimum)) {
    throw new UnsupportedNodeError(packageName, found, minimum, process.execPath);
  }
}

function parts(version: string): number[] {
  return version
    .replace(/^v/, '')
    .split(/[.-]/)
    .slice(0, 3)
    .map((part) => Number.parseInt(part, 10) || 0);
}
