import {
  type CallReport,
  type PendingCallStore,
  parseSettings,
  TransientError,
  type VoicePort,
} from '@prozvon/sdk';
import { z } from 'zod';
import { deriveCallRef } from './call-keys.js';
import { reportFromHistory } from './history-report.js';
import { CallHistoryAnswer, StartScenariosAnswer } from './management/call-history.js';
import { ManagementClient } from './management/client.js';
import { encodeCustomData } from './protocol/custom-data.js';
import { createCallbackRouter, type VoximplantCallbacks } from './server/callback-router.js';

export const VoximplantVoiceOptions = z.object({
  accountId: z.number().int().positive(),
  keyId: z.string().min(1),
  /** The service account key's RSA private key, PEM. */
  privateKey: z.string().includes('PRIVATE KEY'),
  /** The routing rule whose scenario (prozvon-callback.js) StartScenarios runs. */
  ruleId: z.number().int().positive(),
  apiBase: z.url({ protocol: /^https?$/ }).optional(),
  /** Public HTTPS URL of the call-plan handler; travels in custom data, so keep it short. */
  planUrl: z.url({ protocol: /^https?$/ }),
  /** The server secret every call reference and signing key is derived from (≥ 32 characters). */
  secret: z.string().min(32),
  timeoutMs: z.number().int().positive().optional(),
  /**
   * How long after a start an absent session may still be on its way into call history (the lag
   * is unverified; tens of seconds are expected). Within it `findCall` throws a TransientError so
   * the engine asks again later; after it, an absent session means the call never happened.
   */
  historyGraceMs: z
    .number()
    .int()
    .nonnegative()
    .default(10 * 60_000),
});
export type VoximplantVoiceOptions = z.input<typeof VoximplantVoiceOptions> & {
  /**
   * Where started calls are remembered, shared with the call-plan provider: the shop's LeadStore,
   * so a call in flight survives a restart (any PendingCallStore will do).
   */
  store: PendingCallStore;
  /**
   * When given, the port answers the scenario's requests itself (`handleCallback`, which the SDK's
   * `handleVoiceCallback` route calls): mount one URL, use it as `planUrl` and as the plan's `callbackUrl`.
   */
  callbacks?: VoximplantCallbacks;
  fetch?: typeof fetch;
  now?: () => number;
};

/**
 * The VoicePort on Voximplant. `startCall` remembers the call, then starts the scenario with only
 * `{v, r: <call reference>, u: <plan URL>}` as custom data; the scenario fetches everything else
 * from the plan handler. `findCall` reads call history for a call whose result never came.
 */
export function createVoximplantVoice(input: VoximplantVoiceOptions): VoicePort {
  const options = parseSettings(VoximplantVoiceOptions, input, '@prozvon/adapters-voximplant');
  const { store } = input;
  const now = input.now ?? Date.now;
  const client = new ManagementClient({
    accountId: options.accountId,
    keyId: options.keyId,
    privateKey: options.privateKey,
    ...(options.apiBase === undefined ? {} : { apiBase: options.apiBase }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(input.fetch === undefined ? {} : { fetch: input.fetch }),
    now,
  });

  return {
    ...(input.callbacks === undefined ? {} : { handleCallback: createCallbackRouter(input.callbacks) }),
    async startCall(request, callOptions) {
      const callId = deriveCallRef(options.secret, request.key);
      const customData = encodeCustomData(callId, options.planUrl);
      // Remembered before the request leaves: the scenario may ask for its plan before we hear back.
      await store.savePendingCall({
        callId,
        key: request.key,
        leadId: request.leadId,
        attempt: request.attempt,
        phone: request.phone.replace(/\D/g, ''),
        callerId: request.callerId.replace(/\D/g, ''),
        customerName: request.customerName,
        scenarioId: request.scenarioId,
        createdAt: now(),
      });
      const body = await client.call(
        'StartScenarios',
        { rule_id: options.ruleId, script_custom_data: customData },
        callOptions?.signal,
      );
      const answer = StartScenariosAnswer.safeParse(body);
      if (!answer.success)
        throw new TransientError(
          `Voximplant StartScenarios gave an unexpected answer: ${JSON.stringify(body)}`,
        );
      // Without a history id (the docs' example omits it) the reference still finds the session.
      const sessionId = answer.data.call_session_history_id ?? `ref:${callId}`;
      if (answer.data.call_session_history_id !== undefined)
        await store.setPendingCallSession(callId, sessionId);
      return { sessionId };
    },

    async findCall(key, callOptions): Promise<CallReport | null> {
      const callId = deriveCallRef(options.secret, key);
      const customData = encodeCustomData(callId, options.planUrl);
      const pending = await store.getPendingCall(callId);
      const byId = pending?.sessionId !== undefined && /^\d+$/.test(pending.sessionId);
      const body = await client.call(
        'GetCallHistory',
        {
          ...(byId
            ? { call_session_history_id: pending.sessionId }
            : { call_session_history_custom_data: customData }),
          with_calls: true,
          count: 20,
        },
        callOptions?.signal,
      );
      const answer = CallHistoryAnswer.safeParse(body);
      if (!answer.success)
        throw new TransientError(
          `Voximplant GetCallHistory gave an unexpected answer: ${answer.error.message}`,
        );
      // Whether the custom-data filter is an exact match is unverified: check it ourselves.
      const session = answer.data.result.find((s) =>
        byId ? s.call_session_history_id === pending.sessionId : s.custom_data === customData,
      );
      if (session !== undefined) return reportFromHistory(key, session);
      if (pending !== null && now() - pending.createdAt < options.historyGraceMs)
        throw new TransientError(`call ${callId} is not in Voximplant call history yet`);
      return null;
    },
  };
}
