import {
  AuthError,
  type CallOptions,
  PermanentError,
  type PortError,
  RateLimitedError,
  SettingsError,
  type SmsMessage,
  type SmsPort,
  type SmsReceipt,
  toPortError,
} from '@prozvon/sdk';
import { isProviderFailure, type SmsProviderFailure, SmsProviderUnavailableError } from './errors.js';
import { PACKAGE, type SmsProvider } from './provider.js';
import { createSmsProvider, type SmsProviderSettings } from './settings.js';

export interface SmsPortOptions {
  /** Tried in this order; the first is the preferred (cheapest, best-delivering) one. */
  readonly providers: readonly (SmsProvider | SmsProviderSettings)[];
  /** Told when a provider failed and the next one is tried, for logs and the audit trail. */
  readonly onFailover?: (failed: string, error: SmsProviderFailure) => void;
  /** The clock for how long an unavailable provider is skipped. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * An SmsPort over several gateways. The next provider is tried only when the previous one failed
 * *as a provider* — credentials, funds, account settings, an outage or limit it answered for, a
 * connection never made — because then nothing was sent. A bad number stops the chain (every
 * provider would refuse it), and so does an ambiguous failure (a timeout after the request left):
 * the SMS may be on its way, and a second provider would text the customer twice.
 */
export function createSmsPort(options: SmsPortOptions): SmsPort {
  if (options.providers.length === 0) {
    throw new SettingsError(PACKAGE, [
      { field: 'providers', message: 'createSmsPort needs at least one provider' },
    ]);
  }
  const providers = options.providers.map((p) => ('send' in p ? p : createSmsProvider(p)));
  const now = options.now ?? Date.now;
  // A provider that said "not now" (down, a daily limit) is skipped until its wait is over, so
  // each SMS does not first spend a request — or a connect timeout — on it.
  const skipUntil = new Map<SmsProvider, number>();
  return {
    async send(message: SmsMessage, callOptions?: CallOptions): Promise<SmsReceipt> {
      const signal = callOptions?.signal;
      const failures: SmsProviderFailure[] = [];
      const available = providers.filter((p) => (skipUntil.get(p) ?? 0) <= now());
      if (available.length === 0) throw allSkipped(providers, skipUntil, now());
      for (const [index, provider] of available.entries()) {
        // Past the deadline the chain stops: the engine has given up on this call.
        if (signal?.aborted) throw deadlineBeforeSend(provider.name, failures, signal);
        try {
          return await provider.send(message, { signal });
        } catch (thrown) {
          const error = toPortError(thrown);
          if (!isProviderFailure(error)) throw error;
          failures.push(error);
          if (error instanceof SmsProviderUnavailableError)
            skipUntil.set(provider, now() + error.retryAfterMs);
          if (index < available.length - 1) options.onFailover?.(provider.name, error);
        }
      }
      throw allFailed(failures);
    },
  };
}

/**
 * The deadline passed before `next` was asked. Every provider asked so far failed as a provider,
 * so nothing was sent: that is a "not performed, try again" (a RateLimitedError re-queues even a
 * paid effect), not the ambiguous TransientError of a request abandoned in flight.
 */
function deadlineBeforeSend(
  next: string,
  failures: readonly SmsProviderFailure[],
  signal: AbortSignal,
): RateLimitedError {
  const tried = failures.map((f) => f.message).join('; ');
  const message = `SMS: the deadline passed before ${next} was tried; nothing was sent${tried === '' ? '' : ` (${tried})`}`;
  return new RateLimitedError(message, DEADLINE_RETRY_MS, { cause: signal.reason });
}

/** When to try again an SMS whose deadline passed before any provider took it. */
const DEADLINE_RETRY_MS = 1_000;

/** Every provider is in its skip window: nothing is tried, the SMS waits for the first to reopen. */
function allSkipped(
  providers: readonly SmsProvider[],
  skipUntil: ReadonlyMap<SmsProvider, number>,
  at: number,
): RateLimitedError {
  const waitMs = Math.min(...providers.map((p) => (skipUntil.get(p) ?? at) - at));
  const names = providers.map((p) => p.name).join(', ');
  return new RateLimitedError(`every SMS provider is unavailable for now (${names})`, waitMs);
}

/**
 * Every provider failed as a provider, so nothing was sent. If any of them only said "not now",
 * the message waits for the earliest of them (a RateLimitedError re-queues even a paid effect);
 * if all refused our credentials, that is an AuthError; otherwise the accounts need fixing.
 */
function allFailed(failures: readonly SmsProviderFailure[]): PortError {
  const summary = `every SMS provider failed: ${failures.map((f) => f.message).join('; ')}`;
  const cause = new AggregateError(failures, summary);
  const waits = failures.filter((f) => f instanceof SmsProviderUnavailableError).map((f) => f.retryAfterMs);
  if (waits.length > 0) return new RateLimitedError(summary, Math.min(...waits), { cause });
  if (failures.every((f) => f instanceof AuthError)) return new AuthError(summary, { cause });
  return new PermanentError(summary, { cause });
}
