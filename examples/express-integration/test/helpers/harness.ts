import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type TenantConfigInput } from '@prozvon/sdk';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import { SimulatedClock } from '@prozvon/sdk/testing';
import type { PhonePreset, VirtualPhone } from '@prozvon/testkit';
import { expect } from 'vitest';
import {
  type AdapterSettings,
  type RunningShop,
  type Simulators,
  startShop,
  startSimulators,
} from '../../src/index.js';

/** Wednesday 25 November 2026, 11:00 in Moscow: the shop is open. */
export const DAYTIME = Date.parse('2026-11-25T08:00:00Z');
export const SHOP_NAME = 'Чайная лавка';

export interface HarnessOptions {
  readonly phones?: Readonly<Record<string, VirtualPhone | PhonePreset>>;
  readonly start?: number;
  readonly config?: TenantConfigInput;
  readonly crmAuth?: 'oauth' | 'webhook';
  /** Replaces the simulated portal's credentials (an authorisation failure). */
  readonly crm?: (sims: Simulators) => AdapterSettings['crm'];
  readonly historyLagMs?: number;
  readonly historyGraceMs?: number;
}

export interface Harness {
  readonly sims: Simulators;
  readonly shop: RunningShop;
  readonly clock: SimulatedClock;
  /** The shop's SQLite LeadStore (leads, outbox, audit, calls in flight). */
  readonly store: SqliteLeadStore;
  /** POSTs the order form's JSON as the browser would, with optional cookies. */
  order(
    body: Record<string, unknown>,
    cookie?: string,
  ): Promise<{ status: number; body: Record<string, string> }>;
  states(leadId: string): Promise<string>;
  /** Real time passes for the loopback HTTP while the engine's clock stands still: poll. */
  until(leadId: string, expected: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The example shop as `startShop` makes it — the four real adapters, the SDK on SQLite, the
 * Express app — against the four simulators on loopback; the engine on a simulated clock that a
 * test moves (retries, the night), the calls at 3/1000 of real time.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = new SimulatedClock(options.start ?? DAYTIME);
  const sims = await startSimulators({
    phones: options.phones ?? {},
    timeScale: 0.003,
    crmAuth: options.crmAuth ?? 'oauth',
    ...(options.historyLagMs === undefined ? {} : { historyLagMs: options.historyLagMs }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'prozvon-example-'));
  const store = new SqliteLeadStore(join(dir, 'shop.db'));
  const settings = { ...sims.settings, ...(options.crm ? { crm: options.crm(sims) } : {}) };
  // Telegram pacing in real time: a private chat takes a message a second; tests need not wait.
  const telegram = { ...settings.telegram, chatIntervalMs: 0 };
  const shop = await startShop({
    settings: { ...settings, telegram },
    store,
    clock,
    logger: silentLogger(),
    config: { shopName: SHOP_NAME, ...options.config },
    // 3600 virtual seconds leave a loaded machine 10 s for a call at 3/1000 speed. Call history's
    // grace is real time, which stands nearly still here next to the engine's clock.
    voice: { maxCallSec: 3600, historyGraceMs: options.historyGraceMs ?? 0 },
  });

  const states = async (leadId: string) => {
    const lead = await shop.prozvon.getLead(leadId);
    return `${lead?.crmState} ${lead?.callState}`;
  };
  return {
    sims,
    shop,
    clock,
    store,
    async order(body, cookie) {
      const response = await fetch(`${shop.url}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    },
    states,
    async until(leadId, expected) {
      const deadline = Date.now() + 15_000;
      let seen = await states(leadId);
      while (seen !== expected && Date.now() < deadline) {
        // A loaded machine can make a request time out: the engine then backs off a second or
        // two on its clock, which stands still here. Let such short back-offs pass, as real time
        // would; the waits a test is about (retry interval, night, callback timeout) are longer.
        const effects = await store.getEffects(leadId);
        const backoff = effects.find(
          (e) =>
            e.status === 'pending' && e.availableAt > clock.now() && e.availableAt - clock.now() <= 60_000,
        );
        if (backoff) await clock.advanceTo(backoff.availableAt);
        else if (effects.some((e) => e.status === 'pending' && e.availableAt <= clock.now()))
          await clock.advance(0);
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen = await states(leadId);
      }
      if (seen === expected) return;
      // What the engine was doing: which effect failed and why, for a failure far from here.
      const effects = await store.getEffects(leadId);
      const rows = effects.map((e) => `${e.kind} ${e.status} ×${e.attempts} ${JSON.stringify(e.result)}`);
      expect.fail(`lead ${leadId} is ${seen}, not ${expected}; effects:\n${rows.join('\n')}`);
    },
    async close() {
      await shop.stop();
      await store.close();
      await sims.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
