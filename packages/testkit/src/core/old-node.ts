import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A Node older than 24 on this machine (Debian's, at /usr/bin/node), or why there is none. */
export type OldNode =
  | { readonly found: true; readonly path: string; readonly version: string }
  | { readonly found: false; readonly reason: string };

const SYSTEM_NODE = '/usr/bin/node';

/**
 * The machine's own Node when it is older than 24: the packages must say plainly, at import, which
 * Node they need and which they found. CI machines have Node 20 there; a newer one skips the test.
 */
export function findOldNode(path = SYSTEM_NODE): OldNode {
  if (!existsSync(path)) return { found: false, reason: `no ${path}` };
  const version = execFileSync(path, ['--version']).toString().trim().replace(/^v/, '');
  if (Number(version.split('.')[0]) >= 24)
    return { found: false, reason: `${path} is ${version}, not older than 24` };
  return { found: true, path, version };
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
