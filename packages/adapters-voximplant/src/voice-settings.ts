import { type PendingCall, type PendingCallStore, SettingsError } from '@prozvon/sdk';
import { z } from 'zod';
import { AmdSettings, MessageSpec } from './protocol/call-plan.js';
import { encodeCustomData, MAX_CUSTOM_DATA_BYTES } from './protocol/custom-data.js';
import type { MessageSource } from './server/call-plan-provider.js';

/** The TTS voice a text is read with when `voice` is not given (VoxEngine's `VoiceList` path). */
export const DEFAULT_VOICE = 'Yandex.Neural.ru_RU_alena';

/**
 * What the scenario plays: a recording's URL (a string starting `http://` or `https://`), any
 * other string as a text read aloud by `voice`, a full `MessageSpec`, or a function of the call
 * returning one of those (a text that names the customer).
 */
export type MessageSetting = string | MessageSpec | ((call: PendingCall) => string | MessageSpec);

/** A number that may come straight from the environment as digits. */
const positiveId = z.union(
  [
    z.number().int().positive(),
    z
      .string()
      .trim()
      .regex(/^\d+$/, 'expected a positive integer')
      .transform(Number)
      .pipe(z.number().int().positive()),
  ],
  { error: 'expected a positive integer (a number, or its digits)' },
);

/** Call references are 22 characters (deriveCallRef). */
function fitsCustomData(url: string): boolean {
  try {
    encodeCustomData('r'.repeat(22), url);
    return true;
  } catch {
    return false;
  }
}

const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === 'function';
const message = z.union(
  [
    z.string().min(1),
    z.custom<MessageSpec>((v) => typeof v === 'object' && v !== null),
    z.custom<(call: PendingCall) => string | MessageSpec>(isFunction),
  ],
  {
    error: 'expected a recording URL, a text to read, a MessageSpec or a function of the call',
  },
);

const pendingCallStore = z.custom<PendingCallStore>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['savePendingCall', 'getPendingCall', 'setPendingCallSession'].every((method) =>
      isFunction((value as Record<string, unknown>)[method]),
    ),
  { error: "expected a PendingCallStore: the shop's LeadStore" },
);

export const VoximplantVoiceOptions = z.object({
  accountId: positiveId,
  keyId: z.string().min(1),
  /** The service account key's RSA private key, PEM. */
  privateKey: z.string().includes('PRIVATE KEY', { error: 'expected a PEM private key' }),
  /** The routing rule bound to scenario/prozvon-callback.js, which StartScenarios runs. */
  ruleId: positiveId,
  /**
   * The public URL where the shop mounts `prozvon.handleVoiceCallback`: the scenario fetches its
   * plan and posts its signed result there. HTTPS in production; it travels in custom data, so
   * keep it short.
   */
  callbackUrl: z.url({ protocol: /^https?$/ }).refine((url) => fitsCustomData(url), {
    error: `too long: with a call reference it must fit the ${MAX_CUSTOM_DATA_BYTES} bytes of custom data`,
  }),
  /** The server secret every call reference and signing key is derived from (≥ 32 characters). */
  secret: z.string().min(32),
  /** Where started calls are remembered until their plan is fetched: the shop's LeadStore. */
  store: pendingCallStore,
  /** What the customer hears first (see MessageSetting). */
  message,
  /** What follows the message, if anything. */
  promotion: message.nullish(),
  /** The TTS voice for texts given as plain strings. */
  voice: z
    .string()
    .regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, 'expected a VoiceList path like Yandex.Neural.ru_RU_alena')
    .default(DEFAULT_VOICE),
  /** Answering-machine detection. Default: on, Russian model, 6.5 s. */
  amd: AmdSettings.optional(),
  /** The scenario's hard limit on one call. Default 180 s. */
  maxCallSec: z.number().int().min(30).max(3600).optional(),
  apiBase: z.url({ protocol: /^https?$/ }).optional(),
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
  /** Either callback's body above this is refused with 413, unread. Default 16 KiB. */
  maxBodyBytes: z.number().int().positive().optional(),
  /** How far a result's timestamp may be from our clock. Default 300 s. */
  toleranceSec: z.number().int().positive().optional(),
  fetch: z.custom<typeof fetch>(isFunction).optional(),
  now: z.custom<() => number>(isFunction).optional(),
});
export type VoximplantVoiceOptions = z.input<typeof VoximplantVoiceOptions>;
export type VoximplantVoiceSettings = z.output<typeof VoximplantVoiceOptions> & {
  readonly message: MessageSource;
  readonly promotion: MessageSource | null;
};

/**
 * Parses the adapter's settings, its messages included, so a bad one fails when the shop starts
 * and not at its first call. The error names each bad field, never its value (one is a key).
 */
export function parseVoiceSettings(input: unknown): VoximplantVoiceSettings {
  const parsed = VoximplantVoiceOptions.safeParse(input);
  const issues: { path: PropertyKey[]; message: string }[] = parsed.success ? [] : [...parsed.error.issues];
  if (parsed.success) {
    const { voice } = parsed.data;
    const built = {
      message: messageSource(parsed.data.message, voice),
      promotion: parsed.data.promotion == null ? null : messageSource(parsed.data.promotion, voice),
    };
    for (const [field, source] of Object.entries(built)) {
      if (source === null || typeof source === 'function') continue;
      const checked = MessageSpec.safeParse(source);
      if (!checked.success)
        issues.push(...checked.error.issues.map((i) => ({ ...i, path: [field, ...i.path] })));
    }
    if (issues.length === 0) return { ...parsed.data, ...built };
  }
  throw new SettingsError(
    '@prozvon/adapters-voximplant',
    issues.map((i) => ({ field: i.path.map(String).join('.') || '(root)', message: i.message })),
  );
}

function toSpec(value: string | MessageSpec, voice: string): MessageSpec {
  if (typeof value !== 'string') return value;
  return /^https?:\/\//i.test(value) ? { kind: 'url', url: value } : { kind: 'tts', text: value, voice };
}

/** A setting as the plan provider takes it; a function's answer is checked with each plan. */
function messageSource(setting: MessageSetting, voice: string): MessageSource {
  return typeof setting === 'function' ? (call) => toSpec(setting(call), voice) : toSpec(setting, voice);
}
