import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assertNodeVersion,
  isNodeAtLeast,
  MINIMUM_NODE,
  UnsupportedNodeError,
} from '../../src/runtime/node-version.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const root = join(packageDir, '..', '..');

// The machines' system Node is 20 (STACK.md); the tests themselves run on the `node` package's 24.
const OLD_NODE = '/usr/bin/node';
const oldVersion = existsSync(OLD_NODE)
  ? execFileSync(OLD_NODE, ['--version']).toString().trim().replace(/^v/, '')
  : null;
const skipReason =
  oldVersion === null
    ? `no ${OLD_NODE} to try an old Node with`
    : isNodeAtLeast(oldVersion)
      ? `${OLD_NODE} is Node ${oldVersion}, not older than ${MINIMUM_NODE}`
      : null;

describe('the Node version check', () => {
  it('compares versions part by part', () => {
    expect(isNodeAtLeast('24.16.0')).toBe(true);
    expect(isNodeAtLeast('v24.21.0')).toBe(true);
    expect(isNodeAtLeast('25.0.0')).toBe(true);
    expect(isNodeAtLeast('24.15.9')).toBe(false);
    expect(isNodeAtLeast('22.13.0')).toBe(false);
    expect(isNodeAtLeast('20.20.2')).toBe(false);
  });

  it('throws naming the package, the Node needed and the Node found', () => {
    expect(() => assertNodeVersion('@prozvon/sdk', '22.12.0')).toThrow(UnsupportedNodeError);
    expect(() => assertNodeVersion('@prozvon/sdk', '22.12.0')).toThrow(
      /^@prozvon\/sdk needs Node.js >= 24.16.0; this is Node.js 22.12.0 \(/,
    );
    expect(() => assertNodeVersion('@prozvon/sdk')).not.toThrow();
  });
});

// Under CI nothing is skipped: an old Node missing there is a failure, as Chromium is.
const ci = (process.env.CI ?? '').trim().toLowerCase();
if (skipReason !== null && ci !== '' && ci !== '0' && ci !== 'false') {
  throw new Error(`The old-Node tests cannot run under CI: ${skipReason}.`);
}
if (skipReason !== null) console.warn(`old-Node test skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)(
  `importing the built package on an old Node (${skipReason ?? OLD_NODE})`,
  () => {
    beforeAll(() => {
      // The child runs dist (no test transform). `npm test` builds first; this covers `vitest run`.
      execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-b', 'tsconfig.build.json'], {
        cwd: packageDir,
      });
    }, 180_000);

    // Before the check, '@prozvon/sdk' died with "'node:crypto' does not provide an export named
    // 'randomUUIDv7'" and the SQLite store with "No such built-in module: node:sqlite".
    it.each(['@prozvon/sdk', '@prozvon/sdk/stores/sqlite', '@prozvon/sdk/testing', '@prozvon/sdk/openapi'])(
      '%s says which Node it needs and which it found',
      (entry) => {
        const child = spawnSync(OLD_NODE, ['--input-type=module', '-e', `await import('${entry}');`], {
          cwd: root,
          encoding: 'utf8',
        });
        expect(child.status).not.toBe(0);
        expect(child.stderr).toContain(`UnsupportedNodeError: @prozvon/sdk needs Node.js >= ${MINIMUM_NODE}`);
        expect(child.stderr).toContain(`this is Node.js ${oldVersion} (${OLD_NODE})`);
        expect(child.stderr).not.toMatch(/randomUUIDv7|node:sqlite/);
      },
    );
  },
);
