import {
  createCallPlanProvider,
  createCallResultVerifier,
  createVoximplantVoice,
  type PendingCall,
} from '@prozvon/adapters-voximplant';
import type { PendingCallStore, VoicePort } from '@prozvon/sdk';
import { VOICE_CALLBACK_PATH } from './paths.js';

export interface VoximplantSettings {
  readonly accountId: number;
  readonly keyId: string;
  readonly privateKey: string;
  readonly ruleId: number;
  readonly apiBase?: string;
  /** The server secret call references and signing keys are derived from (≥ 32 characters). */
  readonly secret: string;
  /** The shop's public base URL: the scenario fetches its plan and posts its result there. */
  readonly publicUrl: string;
}

export interface VoximplantVoiceOptions {
  /** The scenario's hard limit on one call, in (virtual) seconds. */
  readonly maxCallSec?: number;
  /**
   * Real ms after a start during which a call missing from call history may still appear there
   * (the adapter's default is 10 minutes; the demo shortens it with its faster clock).
   */
  readonly historyGraceMs?: number;
}

/**
 * The VoicePort on Voximplant, answering its scenario itself: the shop mounts one route,
 * `prozvon.handleVoiceCallback`, at `/voice/callback`, which is both the plan URL the scenario
 * starts from and the URL it posts its signed result to. `store` is the shop's LeadStore: it
 * remembers each call until its scenario has fetched the plan, across a restart of the shop.
 */
export function voximplantVoice(
  settings: VoximplantSettings,
  store: PendingCallStore,
  options: VoximplantVoiceOptions = {},
): VoicePort {
  const route = `${settings.publicUrl.replace(/\/+$/, '')}${VOICE_CALLBACK_PATH}`;
  const alena = 'Yandex.Neural.ru_RU_alena';
  return createVoximplantVoice({
    accountId: settings.accountId,
    keyId: settings.keyId,
    privateKey: settings.privateKey,
    ruleId: settings.ruleId,
    ...(settings.apiBase ? { apiBase: settings.apiBase } : {}),
    planUrl: route,
    secret: settings.secret,
    store,
    ...(options.historyGraceMs === undefined ? {} : { historyGraceMs: options.historyGraceMs }),
    callbacks: {
      planFor: createCallPlanProvider({
        secret: settings.secret,
        store,
        callbackUrl: route,
        message: (call: PendingCall) => ({
          kind: 'tts',
          text: `Здравствуйте, ${call.customerName}! Ваш заказ принят, спасибо, что выбрали нас.`,
          voice: alena,
        }),
        promotion: { kind: 'tts', text: 'Скидка десять процентов на следующий заказ.', voice: alena },
        ...(options.maxCallSec === undefined ? {} : { maxCallSec: options.maxCallSec }),
      }),
      verifier: createCallResultVerifier({ secret: settings.secret }),
    },
  });
}
