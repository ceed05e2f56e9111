import type { Tenant } from '@prozvon/sdk';
import { z } from 'zod';
import { apiError, apiOk, readValid } from './api-response.js';
import type { FrameSession } from './frame-auth.js';
import type { SettingsApiDeps } from './settings-api-deps.js';

/** How long a provider has to answer a test before the page is told it did not. */
const TEST_DEADLINE_MS = 15_000;

const phoneTestSchema = z.strictObject({
  phone: z
    .string()
    .trim()
    .regex(/^\+\d{10,15}$/, 'expected a phone in international format, such as +79161234567'),
});

/**
 * `POST /api/portal/test/sms` (admins): one SMS to the number given, through the gateway the
 * portal's leads would use (its own, else the operator's), so a shop owner sees their keys work
 * before a customer depends on them. The answer is the gateway's receipt, or its own words on
 * failure (502 `provider_failed`). Paid like any SMS: an admin's click, never retried.
 */
export async function testSms(
  deps: SettingsApiDeps,
  session: FrameSession,
  request: Request,
): Promise<Response> {
  const parsed = await readValid(request, phoneTestSchema);
  if (!parsed.ok) return parsed.response;
  const tenant = await deps.tenants.get(session.portal.memberId);
  if (tenant === null) return apiError(404, 'not_found');
  const limited = await paidTestsLimited(deps, session);
  if (limited !== null) return limited;
  const text = `${tenant.config.shopName}: проверка SMS из настроек Prozvon.`;
  return attempt(deps, session, 'sms', async (signal) => {
    const receipt = await tenant.ports.sms.send(
      { key: `test:${session.portal.memberId}:sms:${deps.now()}`, phone: parsed.data.phone, text },
      { signal },
    );
    return { provider: receipt.provider, messageId: receipt.messageId, segments: receipt.segments, text };
  });
}

/**
 * `POST /api/portal/test/telegram` (admins): a sample new-lead notice, marked as a test, to the
 * portal's sellers' chat with its bot: what they will see for each lead. The bot's or Telegram's
 * own words on failure.
 */
export async function testTelegram(deps: SettingsApiDeps, session: FrameSession): Promise<Response> {
  const tenant: Tenant | null = await deps.tenants.get(session.portal.memberId);
  if (tenant === null) return apiError(404, 'not_found');
  return attempt(deps, session, 'telegram', async (signal) => {
    await tenant.ports.notifier.notify(
      {
        kind: 'newLead',
        key: `test:${session.portal.memberId}:telegram:${deps.now()}`,
        leadId: 'test',
        customerName: 'Проверка связи (test from Prozvon’s settings)',
        phone: '+70000000000',
        crmLeadId: '0',
      },
      { signal },
    );
    return {};
  });
}

/**
 * `POST /api/portal/test/call` (admins): one call to the number given through the portal's
 * telephony (its own Voximplant account, else the operator's), with the shipped scenario and the
 * portal's voice message and caller id. The answer is what the provider said when asked to call:
 * its session id, or its own words on refusal. The call's outcome comes back to the voice route
 * under a test lead id no lead has, so it touches no lead; the pending call expires on its own.
 */
export async function testCall(
  deps: SettingsApiDeps,
  session: FrameSession,
  request: Request,
): Promise<Response> {
  const parsed = await readValid(request, phoneTestSchema);
  if (!parsed.ok) return parsed.response;
  const tenant = await deps.tenants.get(session.portal.memberId);
  if (tenant === null) return apiError(404, 'not_found');
  const limited = await paidTestsLimited(deps, session);
  if (limited !== null) return limited;
  const at = deps.now();
  return attempt(deps, session, 'call', async (signal) => {
    const started = await tenant.ports.voice.startCall(
      {
        key: `test:${session.portal.memberId}:call:${at}`,
        leadId: `test-call-${at}`,
        attempt: 1,
        phone: parsed.data.phone,
        scenarioId: tenant.config.voice.scenarioId,
        callerId: tenant.config.voice.callerId,
        customerName: 'Prozvon test',
      },
      { signal },
    );
    return { sessionId: started.sessionId };
  });
}

/** Test SMS and calls a portal may send an hour, together: each is paid, to any number typed. */
export const PAID_TESTS_PER_HOUR = 10;
const HOUR_MS = 3_600_000;

/**
 * The test buttons send to a number the admin types, on the portal's account or the operator's:
 * without a bound, an admin's token (or a script with one) could text or ring strangers at will.
 * Counted per portal in the store's counters (shared by every instance); null while allowed.
 */
async function paidTestsLimited(deps: SettingsApiDeps, session: FrameSession): Promise<Response | null> {
  const now = deps.now();
  const window = Math.floor(now / HOUR_MS);
  const until = (window + 1) * HOUR_MS;
  const { counted } = await deps.leads.countHits(
    [{ key: `tests:${session.portal.memberId}:h:${window}`, by: 1, limit: PAID_TESTS_PER_HOUR, until }],
    now,
  );
  if (counted) return null;
  return apiError(429, 'too_many_tests', {
    message: `at most ${PAID_TESTS_PER_HOUR} test SMS and calls an hour; try again later`,
    retryAfterS: Math.ceil((until - now) / 1000),
  });
}

async function attempt(
  deps: SettingsApiDeps,
  session: FrameSession,
  provider: 'sms' | 'telegram' | 'call',
  run: (signal: AbortSignal) => Promise<Record<string, unknown>>,
): Promise<Response> {
  const log = { memberId: session.portal.memberId, by: session.by, provider, audit: 'provider_test' };
  try {
    const result = await run(AbortSignal.timeout(TEST_DEADLINE_MS));
    deps.logger.info({ ...log, outcome: 'sent' }, 'provider test sent');
    return apiOk({ ok: true, ...result });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.warn({ ...log, outcome: 'failed', err: error }, 'provider test failed');
    return apiError(502, 'provider_failed', { message });
  }
}
