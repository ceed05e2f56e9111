import { SettingsError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { bitrix24CrmOptionsSchema, createBitrix24Crm } from '../../src/index.js';
import { HOOK_URL, oauthAuth } from './fake-portal.js';

const issuePaths = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof SettingsError) return error.issues.map((issue) => issue.field);
    throw error;
  }
  return [];
};

describe('options', () => {
  it('fills defaults a shop can rely on', () => {
    const options = bitrix24CrmOptionsSchema.parse({ auth: { type: 'webhook', url: HOOK_URL } });
    expect(options.partner).toEqual({ entity: 'company', codeField: 'UF_CRM_PROZVON_REF' });
    expect(options.lead).toEqual({
      titlePrefix: 'Заявка',
      sourceId: 'WEB',
      originatorId: 'prozvon',
      currency: 'RUB',
    });
    expect(options.calls).toEqual({ noAnswerStatusId: 'IN_PROCESS' });
    expect(options.plan).toBe('standard');
  });

  it('refuses a plain-http webhook, naming the field (b24jssdk speaks HTTPS only)', () => {
    expect(
      issuePaths(() => createBitrix24Crm({ auth: { type: 'webhook', url: 'http://shop.test/rest/1/x/' } })),
    ).toEqual(['auth.url']);
  });

  it('names every missing OAuth field and a bad partner setting at once', () => {
    const auth = oauthAuth();
    const paths = issuePaths(() =>
      createBitrix24Crm({
        auth: { ...auth, clientSecret: '', tokens: { ...auth.tokens, refreshToken: '' } },
        // @ts-expect-error an item partner needs its entityTypeId
        partner: { entity: 'item', codeField: 'ufCrmRef' },
        calls: { noAnswerStatusId: 'no answer!' },
      }),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'auth.clientSecret',
        'auth.tokens.refreshToken',
        'partner.entityTypeId',
        'calls.noAnswerStatusId',
      ]),
    );
  });

  // Before: a raw ZodError, its issues as many lines of JSON.
  it('throws one line per bad field, each naming the package and the field', () => {
    expect(() =>
      createBitrix24Crm({
        auth: { type: 'webhook', url: 'http://shop.test/rest/1/x/' },
        plan: 'gold' as never,
        maxInFlight: 0,
      }),
    ).toThrow(
      new SettingsError('@prozvon/adapters-bitrix24', [
        { field: 'auth.url', message: 'Must be an https:// URL (b24jssdk speaks HTTPS only)' },
        { field: 'plan', message: 'Invalid option: expected one of "standard"|"enterprise"' },
        { field: 'maxInFlight', message: 'Too small: expected number to be >=1' },
      ]),
    );
    try {
      createBitrix24Crm({
        auth: { type: 'webhook', url: 'http://shop.test/rest/1/x/' },
        plan: 'gold' as never,
      });
    } catch (error) {
      expect((error as Error).message.split('\n')).toEqual([
        '@prozvon/adapters-bitrix24: auth.url: Must be an https:// URL (b24jssdk speaks HTTPS only)',
        '@prozvon/adapters-bitrix24: plan: Invalid option: expected one of "standard"|"enterprise"',
      ]);
    }
  });
});
