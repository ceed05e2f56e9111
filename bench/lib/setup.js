// Shared wiring for the engine benchmarks: a shop that may be called at any hour (so a figure does
// not depend on when the bench runs), doubles that stamp when a call reaches them, temp SQLite
// files, and a real night lead to clone by the million.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { LeadEngine, MemoryLeadStore, StaticTenants, silentLogger, tenantConfigSchema } from '@prozvon/sdk';
import {
  RecordingCrm,
  RecordingNotifier,
  RecordingSms,
  RecordingVoice,
  SimulatedClock,
  settle,
} from '@prozvon/sdk/testing';

// Read outside turbo (run.js is started by npm directly), so turbo's env list does not apply.
const { env } = process;
export const QUICK = env.PROZVON_BENCH_QUICK === '1';

const ALL_DAY = { from: '00:00', to: '24:00' };

/** Open round the clock, no customer quiet hours: every lead is callable whenever the bench runs. */
/**
 * The bench's one shop on PostgreSQL, where its calls in flight are counted across instances and a
 * call holds its slot until its outcome is written (a commit later than on SQLite): at the default
 * 10, the shop's own cap, not the engine, would bound the figure. 200 stands for many shops.
 */
export const sharedStoreConfig = () => alwaysOpenConfig({ maxCallsInFlight: 200 });

export const alwaysOpenConfig = (overrides = {}) =>
  tenantConfigSchema.parse({
    hours: {
      week: {
        mon: ALL_DAY,
        tue: ALL_DAY,
        wed: ALL_DAY,
        thu: ALL_DAY,
        fri: ALL_DAY,
        sat: ALL_DAY,
        sun: ALL_DAY,
      },
      customerQuietHours: null,
    },
    // The per-phone guard runs (its cost is measured); the daily ceilings would stop dialling
    // past a thousand leads, which is not what a throughput figure is about.
    abuse: { callsPerDay: null, smsPerDay: null },
    ...overrides,
  });

/** A VoicePort double that reports each call the moment it arrives, before its `delayMs`. */
export class TimedVoice extends RecordingVoice {
  /** (request, performance.now()) for every startCall, in arrival order. */
  onReceive = undefined;

  async startCall(request) {
    this.onReceive?.(request, performance.now());
    return super.startCall(request);
  }
}

/** The four port doubles; `crmDelayMs` / `voiceDelayMs` make them answer that much later. */
export function doubles({ crmDelayMs = 0, voiceDelayMs = 0 } = {}) {
  const crm = new LeanCrm();
  crm.delayMs = crmDelayMs;
  const voice = new TimedVoice();
  voice.delayMs = voiceDelayMs;
  return { crm, voice, sms: new LeanSms(), notifier: new LeanNotifier() };
}

// The recording doubles keep everything they receive; over a million effects that is the bench's
// own memory, not the engine's. These answer the same and keep nothing. The CRM lead's id is the
// engine's lead id (its key is `prozvon:<leadId>`), so a card write names the lead it is about.
// The engine's deadline signal is passed on, so a hung call (`hang`) ends at it, as a real one would.
export class LeanCrm extends RecordingCrm {
  /** (leadId) after each call recorded on a lead's card. */
  onRecordCall = undefined;
  /** (request, performance.now()) as each createLead arrives, before its `delayMs`. */
  onCreateLead = undefined;

  async createLead(request, options) {
    this.onCreateLead?.(request, performance.now());
    await this.enter('createLead', options);
    const id = request.key.replace(/^prozvon:/, '');
    return { id, url: `https://crm.example/crm/lead/details/${id}/` };
  }

  async markNoAnswer(_crmLeadId, _record, options) {
    await this.enter('markNoAnswer', options);
  }

  async recordCall(crmLeadId, _record, options) {
    await this.enter('recordCall', options);
    this.onRecordCall?.(crmLeadId);
  }
}

class LeanSms extends RecordingSms {
  #count = 0;
  /** (message) after each SMS accepted. */
  onSend = undefined;

  async send(message) {
    await this.enter('send');
    this.onSend?.(message);
    return { provider: 'bench', messageId: String(++this.#count), segments: 1 };
  }
}

class LeanNotifier extends RecordingNotifier {
  async notify() {
    await this.enter('notify');
  }
}

export function engineOn(store, clock, ports, config = alwaysOpenConfig(), options = {}) {
  const tenants = new StaticTenants([{ id: 'default', config, ports }]);
  // One shop, configured as createProzvon configures its engine: its caps are the lanes' own.
  return new LeadEngine(store, tenants, clock, silentLogger(), {
    owner: 'bench',
    maxEffectsPerTenant: 64,
    ...options,
  });
}

/** A fresh directory under the OS temp dir, removed by the returned function. */
export function tempDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `prozvon-bench-${name}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Size of a SQLite file with its WAL folded back in (checkpoint, truncate), in bytes. */
export function checkpointedSize(path) {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  const size = (file) => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };
  return size(path) + size(`${path}-wal`);
}

/** Nearest-rank percentile of numbers (sorted here). */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** One figure, the way run.js collects them: `name value unit`. */
export function figure(name, value, unit) {
  const text = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
  console.log(`${name} ${text} ${unit}`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A phone per index, all valid Russian mobiles. */
export const phoneOf = (i) => `+7916${String(i % 10_000_000).padStart(7, '0')}`;

/**
 * A real night lead: submitted through an engine at 23:30 Moscow with the default hours, its CRM
 * lead created and its night SMS sent, as it would sit in the store until morning.
 */
export async function nightLeadTemplate() {
  const clock = new SimulatedClock(Date.parse('2026-11-25T20:30:00Z'));
  const store = new MemoryLeadStore();
  const engine = engineOn(store, clock, doubles(), tenantConfigSchema.parse({}));
  await engine.start();
  const { leadId } = await engine.submitLead({
    name: 'Анна Петрова',
    phone: '+7 916 123-45-67',
    partnerCode: 'PARTNER42',
    site: 'shop.example',
    orderSum: 4990,
    currency: 'RUB',
    utm: { source: 'PARTNER42', medium: 'referral', campaign: 'autumn' },
    comment: 'Позвоните после обеда',
  });
  await settle();
  const lead = await store.getLead(leadId);
  await engine.stop();
  if (lead?.callState !== 'call.night' || lead.crmState !== 'crm.created') {
    throw new Error(`the template lead is ${lead?.crmState} ${lead?.callState}, not a created night lead`);
  }
  return lead;
}

/** The template as another lead: its own id, CRM lead id, submit time and wake-up time. */
export function cloneNightLead(template, { id, crmLeadId, submittedAt, wakeAt }) {
  const { value, context } = template.snapshot;
  return {
    id,
    tenantId: template.tenantId,
    ref: null,
    crmState: template.crmState,
    callState: template.callState,
    snapshot: {
      value,
      context: {
        ...context,
        leadId: id,
        crmLeadId,
        crmUrl: `https://crm.example/crm/lead/details/${crmLeadId}/`,
        submittedAt,
        now: submittedAt,
        callWakeAt: wakeAt,
      },
    },
    wakeAt,
    finished: false,
    submittedAt,
  };
}

/**
 * Counts a store's round trips by method (and, for the claims, the rows they took): a figure the
 * host's load does not change, unlike the timings.
 */
export function countStoreCalls(store) {
  const counts = { claimedRows: 0 };
  for (const name of [
    'insertLead',
    'updateLead',
    'finishEffect',
    'claimEffects',
    'claimDueLeads',
    'releaseEffect',
    'nextDueAt',
  ]) {
    const original = store[name].bind(store);
    store[name] = (...args) => {
      counts[name] = (counts[name] ?? 0) + 1;
      const result = original(...args);
      if (name === 'claimEffects') result.then((rows) => (counts.claimedRows += rows.length));
      // Claims that found nothing: what instances woken by one signal all pay, but one gets.
      if (name === 'claimEffects' || name === 'claimDueLeads') {
        const empty = `${name}Empty`;
        result.then((rows) => {
          if (rows.length === 0) counts[empty] = (counts[empty] ?? 0) + 1;
        });
      }
      return result;
    };
  }
  return counts;
}

/** CPU time (user + system) of this process since `from` (a process.cpuUsage()), in ms. */
export const cpuMsSince = (from) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};
