import { AuthError, PermanentError, RateLimitedError, TransientError } from '@prozvon/sdk';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createBitrix24Crm } from '../../src/index.js';
import { byMethod, fakePortal, hookAuth } from './fake-portal.js';

const portal = fakePortal();

const portalError = (status: number, error: string, description = '') =>
  HttpResponse.json({ error, error_description: description }, { status });

async function failure(reply: Parameters<typeof portal.reply>[0]) {
  portal.reply(reply);
  const crm = createBitrix24Crm({ auth: hookAuth });
  return crm.findPartner('p-42').catch((e: unknown) => e);
}

// Every way a portal refuses, mapped to what the engine does next: re-authorise, wait, retry, give up.
describe('errors from the portal', () => {
  it.each([
    [401, 'NO_AUTH_FOUND', 'Wrong authorization data'],
    [403, 'insufficient_scope', 'The request requires higher privileges than provided by the access token'],
    [403, 'ACCESS_DENIED', 'REST API is available only on commercial plans.'],
    [403, 'INVALID_CREDENTIALS', 'Invalid request credentials'],
  ])('%i %s is an AuthError, sent once', async (status, code, description) => {
    const error = await failure(() => portalError(status, code, description));
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain(code);
    expect(portal.sent).toHaveLength(1);
  });

  it('503 QUERY_LIMIT_EXCEEDED is retried by the SDK, then a RateLimitedError: never a lost lead', async () => {
    const error = await failure(() => portalError(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(2_000);
    expect(portal.sent).toHaveLength(3);
  });

  it("401 invalid_token on a webhook is an AuthError after the SDK's one re-authorised attempt", async () => {
    const error = await failure(() =>
      portalError(401, 'invalid_token', 'The access token provided is invalid.'),
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(portal.sent).toHaveLength(2);
  });

  it('a QUERY_LIMIT_EXCEEDED that clears on the SDK retry costs the caller nothing', async () => {
    portal.reply((_request, attempt) =>
      attempt === 1
        ? portalError(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests')
        : byMethod({ 'crm.company.list': [{ ID: '12', TITLE: 'П', UF_CRM_PROZVON_REF: 'p-42' }] })(
            _request,
            attempt,
          ),
    );
    const crm = createBitrix24Crm({ auth: hookAuth });
    expect(await crm.findPartner('p-42')).toMatchObject({ id: '12' });
    expect(portal.sent).toHaveLength(2);
  });

  it.each([
    ['500 INTERNAL_SERVER_ERROR', () => portalError(500, 'INTERNAL_SERVER_ERROR', 'boom')],
    ['502 from a proxy', () => new HttpResponse('<html>Bad Gateway</html>', { status: 502 })],
    ['a dropped connection', () => HttpResponse.error()],
  ])('%s is a TransientError, and the request is not re-sent blindly', async (_name, reply) => {
    const error = await failure(reply);
    expect(error).toBeInstanceOf(TransientError);
    // A re-sent crm.lead.add could land twice; the engine retries through the ORIGIN_ID look-up.
    expect(portal.sent).toHaveLength(1);
  });

  it.each([
    [
      404,
      'ERROR_METHOD_NOT_FOUND',
      'Method not found!',
      'Bitrix24 ERROR_METHOD_NOT_FOUND: Method not found!',
    ],
    [403, 'WRONG_AUTH_TYPE', 'Current authorization type is denied', 'Bitrix24 WRONG_AUTH_TYPE'],
    [400, 'INVALID_ARG_VALUE', 'Empty comment message', 'Bitrix24 INVALID_ARG_VALUE: Empty comment message'],
    // Legacy CRM errors have an empty code; the SDK hides the text in originalError, we recover it.
    [400, '', 'Access denied.', 'Bitrix24: Access denied.'],
  ])('%i %s is a PermanentError with the portal text', async (status, code, description, message) => {
    const error = await failure(() => portalError(status, code, description));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain(message);
    expect(portal.sent).toHaveLength(1);
  });

  it('an error body sent with HTTP 200 is still an error', async () => {
    const error = await failure(() => HttpResponse.json({ error: 'ERROR_CORE', error_description: 'odd' }));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe('Bitrix24 ERROR_CORE: odd');
  });
});

describe('errors of one command inside a batch', () => {
  it('OPERATION_TIME_LIMIT is a RateLimitedError for the next minute bucket', async () => {
    const error = await failure(({ commands }) => ({
      errors: {
        [commands[0]?.id ?? '']: {
          error: 'OPERATION_TIME_LIMIT',
          error_description: 'Method is blocked due to operation time limit.',
        },
      },
    }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(60_000);
  });

  it('a command the portal skipped is a TransientError: nothing is known of it', async () => {
    const error = await failure(() => ({}));
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toContain('no answer for crm.company.list');
  });

  it('an answer of an unexpected shape is a PermanentError', async () => {
    expect(await failure(byMethod({ 'crm.company.list': { ID: 'x' } }))).toBeInstanceOf(PermanentError);
    portal.reply(byMethod({ 'crm.lead.list': { items: [] } }));
    const crm = createBitrix24Crm({ auth: hookAuth });
    await expect(crm.findLeadByKey('k')).rejects.toBeInstanceOf(PermanentError);
    portal.reply(byMethod({ 'crm.lead.list': [], 'crm.lead.add': 'not-an-id' }));
    await expect(
      crm.createLead({
        key: 'k',
        phone: '+79161234567',
        partner: null,
        submittedAt: 0,
        lead: { name: 'A', phone: '1' },
      }),
    ).rejects.toBeInstanceOf(PermanentError);
  });
});
