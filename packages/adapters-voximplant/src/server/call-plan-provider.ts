import type { PendingCall, PendingCallStore } from '@prozvon/sdk';
import type { z } from 'zod';
import { deriveSigningKey } from '../call-keys.js';
import { AmdSettings, CallPlan, MessageSpec } from '../protocol/call-plan.js';
import { PROTOCOL_VERSION } from '../protocol/headers.js';

/** A message for every call, or one chosen per call (a TTS text may name the customer). */
export type MessageSource = MessageSpec | ((call: PendingCall) => MessageSpec);

export interface CallPlanProviderOptions {
  /** The same server secret the voice adapter derives call references from. */
  readonly secret: string;
  /** The store the voice adapter remembers its calls in (the shop's LeadStore). */
  readonly store: PendingCallStore;
  /** Public HTTPS URL of the result handler. */
  readonly callbackUrl: string;
  readonly message: MessageSource;
  readonly promotion?: MessageSource | null;
  /**
   * Default: on, Russian model, 6.5 s (VoxEngine's default timeout). `model` must be an
   * `AMD.Model` value (`AMD_MODELS`); a missing model or timeout takes those defaults.
   */
  readonly amd?: z.input<typeof AmdSettings>;
  /** The scenario's hard limit on one call. Default 180 s. */
  readonly maxCallSec?: number;
}

/**
 * Builds the plan for a call reference, or null when the reference is unknown (never issued,
 * expired, or lost with a restarted MemoryPendingCallStore). The result is validated, so a misconfigured
 * message (a TTS text over 1500 characters) fails here, loudly, and not in VoxEngine.
 */
export function createCallPlanProvider(options: CallPlanProviderOptions) {
  // Checked now, at configuration: a model VoxEngine does not know would throw in the scenario
  // before the call is placed, a voice it does not know would speak in its English default.
  const amd = checked(AmdSettings, options.amd ?? { enabled: true, model: 'ru', timeoutMs: 6500 }, 'amd');
  if (typeof options.message !== 'function') checked(MessageSpec, options.message, 'message');
  if (options.promotion && typeof options.promotion !== 'function')
    checked(MessageSpec, options.promotion, 'promotion');
  return async function planFor(callId: string): Promise<CallPlan | null> {
    const call = await options.store.getPendingCall(callId);
    if (call === null) return null;
    const pick = (source: MessageSource) => (typeof source === 'function' ? source(call) : source);
    return CallPlan.parse({
      v: PROTOCOL_VERSION,
      callId,
      leadId: call.leadId,
      key: call.key,
      attempt: call.attempt,
      phone: call.phone,
      callerId: call.callerId,
      message: pick(options.message),
      promotion: options.promotion ? pick(options.promotion) : null,
      amd,
      callbackUrl: options.callbackUrl,
      signingKey: deriveSigningKey(options.secret, callId, call.leadId, call.attempt),
      maxCallSec: options.maxCallSec ?? 180,
    });
  };
}
export type CallPlanProvider = ReturnType<typeof createCallPlanProvider>;

/** The setting parsed, or an error naming the setting and the field in it. */
function checked<T extends z.ZodType>(schema: T, value: unknown, name: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [name, ...(issue?.path ?? []).map(String)].join('.');
  throw new TypeError(`Voximplant ${field}: ${issue?.message ?? 'invalid'}`);
}
