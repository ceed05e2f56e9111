import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileScratchProject, packInto } from '@prozvon/testkit';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const root = join(packageDir, '..', '..');
// The scratch project sits inside the repository so that the SDK's own dependencies (zod, xstate…)
// resolve from the root node_modules: no registry needed, as a test must not leave loopback.
const scratch = mkdtempSync(join(root, '.prozvon-pack-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm pack', () => {
  it('gives a tarball whose entries import and type-check in a scratch project', { timeout: 180_000 }, () => {
    packInto(root, scratch, ['packages/sdk']);
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const files = execFileSync('tar', ['-tzf', join(scratch, tarball ?? '')]).toString();
    expect(files).toContain('package/dist/index.d.ts');
    expect(files).not.toMatch(/package\/(src|test)\//);

    // Type-check and compile with the workspace's compiler, then run what the shop would run.
    const main = compileScratchProject(
      root,
      scratch,
      [
        "import { type LeadInput, normalizePhone, parseLead, tenantConfigSchema } from '@prozvon/sdk';",
        "import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';",
        "const input: LeadInput = { name: 'Анна', phone: '8 916 123-45-67' };",
        'const parsed = parseLead(input);',
        'const phone = normalizePhone(input.phone);',
        "const store = new SqliteLeadStore(':memory:');",
        'await store.close();',
        'console.log(JSON.stringify({ ok: parsed.ok, e164: phone.ok ? phone.e164 : null, hours: tenantConfigSchema.parse({}).hours.timezone }));',
      ].join('\n'),
    );
    const output = execFileSync(process.execPath, [main], { cwd: scratch }).toString();
    expect(JSON.parse(output)).toEqual({ ok: true, e164: '+79161234567', hours: 'Europe/Moscow' });
  });
});
