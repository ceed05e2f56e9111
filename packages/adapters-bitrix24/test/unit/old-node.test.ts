import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';

// This adapter uses no Node 24 API of its own: it needs Node >= 24.16 through @prozvon/sdk, whose
// entry checks the version first. So on an old Node, importing the adapter says so plainly.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
const root = join(packageDir, '..', '..');
const OLD_NODE = '/usr/bin/node';
const oldVersion = existsSync(OLD_NODE)
  ? execFileSync(OLD_NODE, ['--version']).toString().trim().replace(/^v/, '')
  : null;
const old = oldVersion !== null && Number(oldVersion.split('.')[0]) < 24;

beforeAll(() => {
  if (!old) return;
  // The child runs dist (no test transform). `npm test` builds first; this covers `vitest run`.
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  execFileSync(tsc, ['-b', 'tsconfig.build.json'], { cwd: join(root, 'packages', 'sdk') });
  execFileSync(tsc, ['-b', 'tsconfig.build.json'], { cwd: packageDir });
}, 180_000);

it.skipIf(!old)(
  `on an old Node (${oldVersion === null ? `no ${OLD_NODE}` : `${OLD_NODE} is ${oldVersion}`}) the import says which Node is needed`,
  () => {
    const child = spawnSync(
      OLD_NODE,
      ['--input-type=module', '-e', "await import('@prozvon/adapters-bitrix24');"],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain('UnsupportedNodeError: @prozvon/sdk needs Node.js >= 24.16.0');
    expect(child.stderr).toContain(`this is Node.js ${oldVersion}`);
    expect(child.stderr).not.toContain('randomUUIDv7');
  },
);
