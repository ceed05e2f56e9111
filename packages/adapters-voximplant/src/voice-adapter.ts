import { type CallReport, type DeliverCallResult, TransientError, type VoicePort } from '@prozvon/sdk';
import { deriveCallRef } from './call-keys.js';
import { reportFromHistory } from './history-report.js';
import { CallHistoryAnswer, StartScenariosAnswer } from './management/call-history.js';
import { ManagementClient } from './management/client.js';
import { encodeCustomData } from './protocol/custom-data.js';
import { createCallPlanProvider } from './server/call-plan-provider.js';
import { createCallResultVerifier } from './server/call-result-verifier.js';
import { createCallbackRouter } from './server/callback-router.js';
import { parseVoiceSettings, type VoximplantVoiceOptions } from './voice-settings.js';

/**
 * The VoicePort on Voximplant, made from its settings in one call, with its callbacks: the shop
 * mounts `prozvon.handleVoiceCallback` at `callbackUrl`, where the scenario fetches each call's
 * plan and posts its signed result. `startCall` remembers the call in `store` (the shop's
 * LeadStore), then starts the scenario with only `{v, r: <call reference>, u: <callbackUrl>}` as
 * custom data. `findCall` reads call history for a call whose result never came.
 */
export function createVoximplantVoice(input: VoximplantVoiceOptions): VoicePort & {
  readonly needsCallbacks: true;
  handleCallback(request: Request, deliver: DeliverCallResult): Promise<Response>;
} {
  const options = parseVoiceSettings(input);
  const { store, secret, callbackUrl: planUrl } = options;
  const now = options.now ?? Date.now;
  const client = ManagementClient.fromSettings({ ...options, now });
  // One URL for both of the scenario's requests: the plan's callbackUrl is the URL it came from.
  const handleCallback = createCallbackRouter({
    planFor: createCallPlanProvider({
      secret,
      store,
      callbackUrl: planUrl,
      message: options.message,
      promotion: options.promotion,
      ...(options.amd === undefined ? {} : { amd: options.amd }),
      ...(options.maxCallSec === undefined ? {} : { maxCallSec: options.maxCallSec }),
    }),
    verifier: createCallResultVerifier({
      secret,
      now,
      ...(options.toleranceSec === undefined ? {} : { toleranceSec: options.toleranceSec }),
    }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  });

  return {
    // The scenario calls back: createProzvon refuses this port if a wrapper drops handleCallback.
    needsCallbacks: true,
    handleCallback,
    async startCall(request, callOptions) {
      const callId = deriveCallRef(secret, request.key);
      const customData = encodeCustomData(callId, planUrl);
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
      const callId = deriveCallRef(secret, key);
      const customData = encodeCustomData(callId, planUrl);
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
