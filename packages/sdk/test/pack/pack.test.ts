import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const root = join(packageDir, '..', '..');
// The scratch project sits inside the repository so that the SDK's own dependencies (zod, xstate…)
// resolve from the root node_modules: no registry needed, as a test must not leave loopback.
const scratch = mkdtempSync(join(root, '.prozvon-pack-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm pack', () => {
  it('gives a tarball whose entries import and type-check in a scratch project', { timeout: 180_000 }, () => {
    execFileSync('npm', ['pack', '--pack-destination', scratch], { cwd: packageDir, stdio: 'pipe' });
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const installed = join(scratch, 'node_modules', '@prozvon', 'sdk');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(scratch, tarball ?? ''), '-C', installed, '--strip-components=1']);
    const files = execFileSync('tar', ['-tzf', join(scratch, tarball ?? '')]).toString();
    expect(files).toContain('package/dist/index.d.ts');
    expect(files).not.toMatch(/package\/(src|test)\//);

    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2024',
          strict: true,
          types: ['node'],
          outDir: 'out',
        },
        files: ['main.ts'],
      }),
    );
    writeFileSync(
      join(scratch, 'main.ts'),
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
    // Type-check and compile with the workspace's compiler, then run what the shop would run.
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', scratch], { stdio: 'pipe', cwd: scratch });
    const output = execFileSync(process.execPath, [join(scratch, 'out', 'main.js')], {
      cwd: scratch,
    }).toString();
    expect(JSON.parse(output)).toEqual({ ok: true, e164: '+79161234567', hours: 'Europe/Moscow' });
  });
});
