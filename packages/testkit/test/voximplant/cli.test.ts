import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatUrls, parseCliArgs, startAllSims } from '../../src/cli.js';
import { callApi, serviceToken, TEST_SCENARIO } from './helpers.js';

describe('prozvon-sims with a Voximplant scenario', () => {
  it('starts the Voximplant simulator only when given a scenario file, and prints its credentials', async () => {
    expect(parseCliArgs([])).not.toHaveProperty('voximplantScenario', expect.anything());
    const dir = await mkdtemp(join(tmpdir(), 'prozvon-vox-cli-'));
    const scenario = join(dir, 'scenario.js');
    await writeFile(scenario, TEST_SCENARIO);
    const options = parseCliArgs(['--voximplant-scenario', scenario]);
    if (options === 'help') throw new Error('parsed as --help');
    const sims = await startAllSims(options);
    try {
      const vox = sims.urls.voximplant;
      expect(vox?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(formatUrls(sims.urls)).toContain(vox?.url ?? 'missing');
      const key = {
        accountId: vox?.accountId ?? 0,
        keyId: vox?.keyId ?? '',
        privateKey: vox?.privateKey ?? '',
        publicKey: undefined as never,
      };
      const answer = await callApi(vox?.url ?? '', 'GetCallHistory', {}, serviceToken(key));
      expect(answer.body).toMatchObject({ result: [], total_count: 0 });
    } finally {
      await sims.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a bad Voximplant port', () => {
    expect(() => parseCliArgs(['--voximplant-port', '70000'])).toThrow(/voximplantPort/);
  });
});
