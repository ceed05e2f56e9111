import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLeadStore } from '@prozvon/sdk/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createVoximplantVoice, voximplantFromEnv } from '../../src/index.js';
import { testServiceAccount } from '../helpers/service-account.js';
import { TEST_SECRET } from '../helpers/shop-server.js';

const account = testServiceAccount();
const env = {
  VOXIMPLANT_ACCOUNT_ID: String(account.accountId),
  VOXIMPLANT_KEY_ID: account.keyId,
  VOXIMPLANT_PRIVATE_KEY: account.privateKey,
  VOXIMPLANT_RULE_ID: '42',
  VOXIMPLANT_CALLBACK_URL: 'https://shop.example/voice',
  PROZVON_SECRET: TEST_SECRET,
};
const dir = mkdtempSync(join(tmpdir(), 'prozvon-vox-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('voximplantFromEnv', () => {
  it('gives the account part of the settings: with the message and store, the adapter is made', () => {
    const settings = voximplantFromEnv({ ...env, VOXIMPLANT_API_BASE: 'http://127.0.0.1:9' });
    expect(settings).toMatchObject({
      accountId: String(account.accountId),
      ruleId: '42',
      apiBase: 'http://127.0.0.1:9',
    });
    const voice = createVoximplantVoice({
      ...settings,
      message: 'Ваш заказ принят',
      store: new MemoryLeadStore(),
    });
    expect(voice.needsCallbacks).toBe(true);
  });

  it('reads the key from VOXIMPLANT_PRIVATE_KEY_FILE, and names a file it cannot read', () => {
    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, account.privateKey);
    const { VOXIMPLANT_PRIVATE_KEY: _, ...rest } = env;
    expect(voximplantFromEnv({ ...rest, VOXIMPLANT_PRIVATE_KEY_FILE: keyFile }).privateKey).toBe(
      account.privateKey,
    );
    expect(() => voximplantFromEnv({ ...rest, VOXIMPLANT_PRIVATE_KEY_FILE: join(dir, 'none.pem') })).toThrow(
      /^@prozvon\/adapters-voximplant: VOXIMPLANT_PRIVATE_KEY_FILE: cannot read .*none\.pem \(ENOENT\)$/,
    );
  });

  it('names every missing variable, one line each, never a value', () => {
    const { PROZVON_SECRET: _, VOXIMPLANT_KEY_ID: __, ...rest } = env;
    expect(() => voximplantFromEnv(rest)).toThrow(
      '@prozvon/adapters-voximplant: VOXIMPLANT_KEY_ID: not set\n@prozvon/adapters-voximplant: PROZVON_SECRET: not set',
    );
  });
});
