import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isCi } from './ci.js';

/** A Node older than 24 on this machine (Debian's, at /usr/bin/node), or why there is none. */
export type OldNode =
  | { readonly found: true; readonly path: string; readonly version: string }
  | { readonly found: false; readonly reason: string };

const SYSTEM_NODE = '/usr/bin/node';

/**
 * The machine's own Node when it is older than 24: the packages must say plainly, at import, which
 * Node they need and which they found. The project's machines have Node 20 there; elsewhere the
 * test is skipped with the reason, except under CI, where its absence is a failure, as Chromium's.
 */
export function findOldNode(path = SYSTEM_NODE, env: NodeJS.ProcessEnv = process.env): OldNode {
  const version = existsSync(path)
    ? execFileSync(path, ['--version']).toString().trim().replace(/^v/, '')
    : null;
  if (version !== null && Number(version.split('.')[0]) < 24) return { found: true, path, version };
  const reason = version === null ? `no ${path}` : `${path} is ${version}, not older than 24`;
  if (isCi(env)) throw new Error(`The old-Node tests cannot run under CI: ${reason}.`);
  return { found: false, reason: `old-Node test skipped: ${reason}` };
}

/** The test's title: which Node it tries, or why it cannot. */
export function oldNodeTitle(old: OldNode): string {
  return `on an old Node (${old.found ? `${old.path} is ${old.version}` : old.reason}) the import says which Node is needed`;
}

/** Builds packages with `tsc -b` (the old Node runs their dist, with no test transform). */
export function buildPackages(root: string, packageDirs: readonly string[]): void {
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  for (const cwd of packageDirs) execFileSync(tsc, ['-b', 'tsconfig.build.json'], { cwd });
}

/** Imports `specifier` under `node` from `cwd`: its exit status and what it printed on stderr. */
export function importWith(
  node: string,
  specifier: string,
  cwd: string,
): { status: number | null; stderr: string } {
  const child = spawnSync(
    node,
    ['--input-type=module', '-e', `await import(${JSON.stringify(specifier)});`],
    {
      cwd,
      encoding: 'utf8',
    },
  );
  return { status: child.status, stderr: child.stderr };
}
