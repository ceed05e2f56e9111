import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { bitrix24CrmOptionsSchema, createBitrix24Crm } from '../../src/index.js';
import { HOOK_URL, oauthAuth } from './fake-portal.js';

const issuePaths = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ZodError) return error.issues.map((issue) => issue.path.join('.'));
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
});
