import { z } from 'zod';
import { PROTOCOL_VERSION } from './headers.js';
import { AMD_MODELS, VOICE_NAMES } from './voxengine-lists.js';

/** What the scenario POSTs to the plan URL: the reference from its custom data, and its session. */
export const CallPlanRequest = z.object({
  v: z.literal(PROTOCOL_VERSION),
  callId: z.string().min(16).max(64),
  sessionId: z.union([z.string(), z.number()]).transform(String).optional(),
});
export type CallPlanRequest = z.output<typeof CallPlanRequest>;

/** A recording (played with `call.startPlayback`) or a text read by a TTS voice (`call.say`). */
export const MessageSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), url: z.url({ protocol: /^https?$/ }) }),
  z.object({
    kind: z.literal('tts'),
    // VoxEngine refuses more than 1500 characters (PlaybackFinished with an error).
    text: z.string().min(1).max(1500),
    /**
     * A path under VoxEngine's `VoiceList`, e.g. `Yandex.Neural.ru_RU_alena`. VoxEngine reads an
     * unknown one as no voice at all and speaks in its English default, so only the voices its
     * typings list are taken (voxengine-lists.ts).
     */
    voice: z.string().refine((name) => VOICE_NAMES.has(name), {
      error: (issue) =>
        `${String(issue.input)} is not a VoxEngine voice (VoiceList in voxengine-ci's typings), e.g. Yandex.Neural.ru_RU_alena`,
    }),
  }),
]);
export type MessageSpec = z.output<typeof MessageSpec>;

export const AmdSettings = z.discriminatedUnion('enabled', [
  z.object({
    enabled: z.literal(true),
    /**
     * An `AMD.Model` value; `ru` for Russian numbers. `AMD.create` throws on any other, so the
     * call would never be placed.
     */
    model: z.enum(AMD_MODELS).default('ru'),
    /** VoxEngine allows 0–20000 ms, counted from Connected; its default is 6500. */
    timeoutMs: z.number().int().min(0).max(20_000).default(6500),
  }),
  z.object({ enabled: z.literal(false) }),
]);
export type AmdSettings = z.output<typeof AmdSettings>;

/**
 * The plan our server gives the scenario for one call. The signing key is derived for this call
 * only, so reading it from a session log lets nobody sign a result for any other call.
 */
export const CallPlan = z.object({
  v: z.literal(PROTOCOL_VERSION),
  callId: z.string().min(16).max(64),
  leadId: z.string().min(1),
  /** The engine's key of this attempt (`lead:<id>:dial:<n>`), echoed in the result. */
  key: z.string().min(1),
  attempt: z.number().int().min(1),
  /** E.164 digits without `+` (whether callPSTN accepts a `+` is unverified). */
  phone: z.string().regex(/^\d{7,15}$/),
  callerId: z.string().regex(/^\d{5,15}$/),
  message: MessageSpec,
  promotion: MessageSpec.nullable(),
  amd: AmdSettings,
  /** Where the scenario POSTs the signed result. */
  callbackUrl: z.url({ protocol: /^https?$/ }),
  /** Hex, 64 characters: the HMAC key of this call's result. */
  signingKey: z.string().regex(/^[0-9a-f]{64}$/),
  /** The scenario's own hard limit on the whole call (the platform's maximum is unverified). */
  maxCallSec: z.number().int().min(30).max(3600),
});
export type CallPlan = z.output<typeof CallPlan>;
export type CallPlanInput = z.input<typeof CallPlan>;
