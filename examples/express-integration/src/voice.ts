import {
  createCallPlanHandler,
  createCallPlanProvider,
  createCallResultHandler,
  createCallResultVerifier,
  createVoximplantVoice,
  MemoryPendingCallStore,
  type PendingCall,
} from '@prozvon/adapters-voximplant';
import type { CallResultEvent, Clock, VoicePort } from '@prozvon/sdk';
import type { WebHandler } from './web-handler.js';

export const PLAN_PATH = '/voximplant/plan';
export const RESULT_PATH = '/voximplant/result';

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

export interface VoximplantWiringOptions {
  /** The scenario's hard limit on one call, in (virtual) seconds. */
  readonly maxCallSec?: number;
  /**
   * Real ms after a start during which a call missing from call history may still appear there
   * (the adapter's default is 10 minutes; the demo shortens it with its faster clock).
   */
  readonly historyGraceMs?: number;
}

export interface VoximplantWiring {
  readonly voice: VoicePort;
  /** The two routes the scenario calls; the app mounts them. */
  readonly routes: Record<string, WebHandler>;
}

/**
 * The VoicePort on Voximplant and its two HTTP routes. The result handler stamps each result with
 * the engine's clock (the demo runs on an accelerated one; the scenario's timestamps are real
 * time and only serve the signature's freshness check).
 */
export function voximplantWiring(
  settings: VoximplantSettings,
  clock: Clock,
  deliver: (leadId: string, event: CallResultEvent) => Promise<unknown>,
  options: VoximplantWiringOptions = {},
): VoximplantWiring {
  const store = new MemoryPendingCallStore();
  const base = settings.publicUrl.replace(/\/+$/, '');
  const voice = createVoximplantVoice({
    accountId: settings.accountId,
    keyId: settings.keyId,
    privateKey: settings.privateKey,
    ruleId: settings.ruleId,
    ...(settings.apiBase ? { apiBase: settings.apiBase } : {}),
    planUrl: `${base}${PLAN_PATH}`,
    secret: settings.secret,
    store,
    ...(options.historyGraceMs === undefined ? {} : { historyGraceMs: options.historyGraceMs }),
  });
  const planFor = createCallPlanProvider({
    secret: settings.secret,
    store,
    callbackUrl: `${base}${RESULT_PATH}`,
    message: (call: PendingCall) => ({
      kind: 'tts',
      text: `Здравствуйте, ${call.customerName}! Ваш заказ принят, спасибо, что выбрали нас.`,
      voice: 'Yandex.Neural.ru_RU_alena',
    }),
    promotion: {
      kind: 'tts',
      text: 'Скидка десять процентов на следующий заказ.',
      voice: 'Yandex.Neural.ru_RU_alena',
    },
    ...(options.maxCallSec === undefined ? {} : { maxCallSec: options.maxCallSec }),
  });
  const verifier = createCallResultVerifier({ secret: settings.secret });
  return {
    voice,
    routes: {
      [PLAN_PATH]: createCallPlanHandler(planFor),
      [RESULT_PATH]: createCallResultHandler({
        verifier,
        deliver: (leadId, event) => deliver(leadId, { ...event, at: clock.now() }),
      }),
    },
  };
}
