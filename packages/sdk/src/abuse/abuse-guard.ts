import type { TenantConfig } from '../config/index.js';
import { type RateLimit, RateLimitedLeadError } from '../engine/engine-errors.js';
import { shopDay } from '../hours/index.js';
import type { Lead } from '../lead/index.js';
import { normalizePhone, type PhoneResult } from '../phone/index.js';
import type { CounterHit, LeadStore } from '../ports/index.js';
import { ipKey } from './ip-key.js';

const HOUR = 3_600_000;

/** What the guard lets a lead do once it is accepted. */
export interface Admission {
  /** False past the shop's daily ceiling: the lead goes to the sellers uncalled and untexted. */
  readonly callsAllowed: boolean;
}

/**
 * Keeps a shop's form from being a free calling and texting service for whoever finds it
 * (config `abuse`). Asked once per submitted lead, before anything is decided or stored:
 *
 * - per phone (an hour, a day) and per IP (an hour): over a limit the lead is refused with
 *   `RateLimitedLeadError` (429), nothing is stored and the refusal is counted for stats;
 * - the shop's daily ceilings of calls and SMS: each lead that may be called reserves its most
 *   (`maxAttempts` calls, and each SMS it could get), so the ceiling is never passed; a lead that
 *   does not fit is accepted with `callsAllowed: false`.
 *
 * The counters are the store's, so they hold across restarts and across instances on one
 * database; windows are fixed (clock hours, the shop's days), so at a window's turn up to twice a
 * limit can pass within a short while — a bound on cost, not a smoothing of traffic.
 */
export class AbuseGuard {
  constructor(private readonly store: LeadStore) {}

  /** `normalized` is the lead's phone as the engine already read it (read here when absent). */
  async admit(
    tenantId: string,
    config: TenantConfig,
    lead: Lead,
    at: number,
    normalized?: PhoneResult,
  ): Promise<Admission> {
    const { abuse } = config;
    const day = shopDay(at, config.hours.timezone);
    const hour = Math.floor(at / HOUR);
    const hourEnds = (hour + 1) * HOUR;
    const phone = normalized ?? phoneOfLead(lead, config);
    // Whatever the customer typed counts as one number however it is spelt: "8 916…", "+7 916…".
    const phoneId = phone.ok ? phone.e164 : lead.phone.replace(/\D/g, '');
    const prefix = `abuse:${tenantId}`;
    const limits: { name: RateLimit; hit: CounterHit }[] = [];
    const limit = (name: RateLimit, max: number | null, key: string, until: number) => {
      if (max !== null) limits.push({ name, hit: { key: `${prefix}:${key}`, by: 1, limit: max, until } });
    };
    limit('phone_hour', abuse.phonePerHour, `phone:${phoneId}:h:${hour}`, hourEnds);
    limit('phone_day', abuse.phonePerDay, `phone:${phoneId}:d:${day.date}`, day.endsAt);
    if (lead.ip !== undefined) limit('ip_hour', abuse.ipPerHour, `ip:${ipKey(lead.ip)}:h:${hour}`, hourEnds);
    if (limits.length > 0) {
      const { counted, totals } = await this.store.countHits(
        limits.map(({ hit }) => hit),
        at,
      );
      if (!counted) {
        const over = limits.filter(({ hit }, i) => (totals[i] ?? 0) + hit.by > hit.limit);
        const name = over[0]?.name ?? 'phone_hour';
        await this.store.countRefusal(tenantId, name);
        const until = Math.max(...over.map(({ hit }) => hit.until), at);
        throw new RateLimitedLeadError(name, Math.max(1, Math.ceil((until - at) / 1_000)));
      }
    }

    // A number the machine will not ring costs nothing, and reserves nothing.
    if (!phone.ok) return { callsAllowed: true };
    const ceilings: CounterHit[] = [];
    const sms = smsPerLead(config);
    if (abuse.callsPerDay !== null) {
      ceilings.push({
        key: `${prefix}:calls:d:${day.date}`,
        by: config.maxAttempts,
        limit: abuse.callsPerDay,
        until: day.endsAt,
      });
    }
    if (abuse.smsPerDay !== null && sms > 0) {
      ceilings.push({
        key: `${prefix}:sms:d:${day.date}`,
        by: sms,
        limit: abuse.smsPerDay,
        until: day.endsAt,
      });
    }
    if (ceilings.length === 0) return { callsAllowed: true };
    const { counted } = await this.store.countHits(ceilings, at);
    return { callsAllowed: counted };
  }
}

/** The most SMS one lead can get: the night one, then one of answered or machine. */
function smsPerLead(config: TenantConfig): number {
  const { night, answered, machine } = config.sms;
  return (night === '' ? 0 : 1) + (answered === '' && machine === '' ? 0 : 1);
}

/** The lead's phone read with its tenant's country rules: once a submit, shared with the machine. */
export function phoneOfLead(lead: Lead, config: TenantConfig): PhoneResult {
  return normalizePhone(lead.phone, {
    defaultCountry: config.phone.defaultCountry,
    allowedCountries: config.phone.allowedCountries,
  });
}
