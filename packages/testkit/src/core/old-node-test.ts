import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { buildPackages, findOldNode, importWith, oldNodeTitle } from './old-node.js';

/**
 * Registers, in the calling test file, the test that the built package at `packageDir` (a workspace
 * package of this repository, as a file URL) refuses plainly to load on an old Node. The adapters use no Node 24
 * API of their own: they need Node >= 24.16 through @prozvon/sdk, whose entry checks the version
 * first, so importing `specifier` must fail with that check's message and not with a missing API.
 * With no old Node the test is skipped with the reason; under CI that is a failure (`findOldNode`).
 */
export function testImportOnOldNode(specifier: string, packageDir: URL): void {
  const dir = fileURLToPath(packageDir);
  const root = join(dir, '..', '..');
  const old = findOldNode();
  if (!old.found) console.warn(old.reason);

  beforeAll(() => {
    if (old.found) buildPackages(root, [join(root, 'packages', 'sdk'), dir]);
  }, 180_000);

  it.skipIf(!old.found)(oldNodeTitle(old), () => {
    if (!old.found) return;
    const child = importWith(old.path, specifier, root);
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain('UnsupportedNodeError: @prozvon/sdk needs Node.js >= 24.16.0');
    expect(child.stderr).toContain(`this is Node.js ${old.version}`);
    expect(child.stderr).not.toContain('randomUUIDv7');
  });
}
