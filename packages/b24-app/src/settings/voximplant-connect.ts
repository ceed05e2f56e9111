import { readFile } from 'node:fs/promises';
import { SCENARIO_FILE } from '@prozvon/adapters-voximplant';
import { PortError } from '@prozvon/sdk';
import { z } from 'zod';
import { apiError, apiOk, readValid } from './api-response.js';
import type { FrameSession } from './frame-auth.js';
import { SECRET_NAMES } from './portal-providers.js';
import type { SettingsApiDeps } from './settings-api-deps.js';

/** Names on the portal's own Voximplant account: found again on a second connect, never doubled. */
export const VOXIMPLANT_NAMES = {
  application: 'prozvon',
  scenario: 'prozvon-callback',
  rule: 'prozvon-callback',
} as const;

const connectSchema = z.strictObject({
  accountId: z.union([
    z.number().int().positive(),
    z
      .string()
      .trim()
      .regex(/^\d{1,15}$/)
      .transform(Number),
  ]),
  keyId: z.string().trim().min(1).max(100),
  privateKey: z.string().max(10_000).includes('PRIVATE KEY', { error: 'expected a PEM private key' }),
  apiBase: z.url({ protocol: /^https?$/ }).optional(),
});

let scenarioSource: Promise<string> | undefined;

/**
 * `POST /api/portal/voximplant/connect` (admins): sets the portal's own Voximplant account up
 * (provisionVoximplant: the application, the shipped scenario, the rule), then stores the account
 * in the portal's providers and the key in its secrets, and answers what was changed on the
 * account. The key is checked by the provisioning itself: a wrong one is refused by Voximplant and
 * nothing is stored.
 */
export async function connectVoximplant(
  deps: SettingsApiDeps,
  session: FrameSession,
  request: Request,
): Promise<Response> {
  const parsed = await readValid(request, connectSchema);
  if (!parsed.ok) return parsed.response;
  const { accountId, keyId, privateKey, apiBase } = parsed.data;
  if (apiBase !== undefined && !deps.voximplant.apiBases.includes(apiBase)) {
    return apiError(400, 'invalid_settings', {
      issues: [{ path: 'apiBase', message: 'this Voximplant API address is not allowed here' }],
    });
  }
  scenarioSource ??= readFile(SCENARIO_FILE, 'utf8');
  let provisioned: Awaited<ReturnType<SettingsApiDeps['voximplant']['provision']>>;
  try {
    provisioned = await deps.voximplant.provision({
      accountId,
      keyId,
      privateKey,
      ...(apiBase === undefined ? {} : { apiBase }),
      applicationName: VOXIMPLANT_NAMES.application,
      scenarioName: VOXIMPLANT_NAMES.scenario,
      scenarioSource: await scenarioSource,
      ruleName: VOXIMPLANT_NAMES.rule,
    });
  } catch (error) {
    // A PortError names the step and Voximplant's answer, never the key: the admin may read it.
    const message = error instanceof PortError ? error.message : 'Voximplant could not be reached';
    deps.logger.warn({ memberId: session.portal.memberId, err: error }, 'Voximplant connect failed');
    return apiError(502, 'voximplant_failed', { message });
  }
  const portal = (await deps.portals.getByMemberId(session.portal.memberId)) ?? session.portal;
  const voximplant = {
    accountId,
    keyId,
    ruleId: provisioned.ruleId,
    ...(apiBase === undefined ? {} : { apiBase }),
  };
  await deps.portals.updateSettings(
    portal.memberId,
    {
      settings: { ...portal.settings, providers: { ...portal.settings.providers, voximplant } },
      secrets: { [SECRET_NAMES.voximplantKey]: privateKey },
    },
    { by: session.by, at: deps.now() },
  );
  deps.forget(portal.memberId);
  deps.logger.info(
    { memberId: portal.memberId, by: session.by, audit: 'voximplant_connected' },
    'Voximplant connected',
  );
  return apiOk({
    voximplant,
    applicationId: provisioned.applicationId,
    applicationName: provisioned.applicationName,
    scenarioId: provisioned.scenarioId,
    changed: provisioned.changed,
  });
}
