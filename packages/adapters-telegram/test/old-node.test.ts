import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPackages, findOldNode, importWith, oldNodeTitle } from '@prozvon/testkit';
import { beforeAll, expect, it } from 'vitest';

// This adapter uses no Node 24 API of its own: it needs Node >= 24.16 through @prozvon/sdk, whose
// entry checks the version first. So on an old Node, importing the adapter says so plainly.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(packageDir, '..', '..');
const old = findOldNode();
if (!old.found) console.warn(old.reason);

beforeAll(() => {
  if (old.found) buildPackages(root, [join(root, 'packages', 'sdk'), packageDir]);
}, 180_000);

it.skipIf(!old.found)(oldNodeTitle(old), () => {
  if (!old.found) return;
  const child = importWith(old.path, '@prozvon/adapters-telegram', root);
  expect(child.status).not.toBe(0);
  expect(child.stderr).toContain('UnsupportedNodeError: @prozvon/sdk needs Node.js >= 24.16.0');
  expect(child.stderr).toContain(`this is Node.js ${old.version}`);
  expect(child.stderr).not.toContain('randomUUIDv7');
});
