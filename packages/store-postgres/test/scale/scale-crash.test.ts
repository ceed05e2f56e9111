import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresLeadStore } from '../../src/index.js';
import { postgres, useFreshSchema } from '../support/postgres-schema.js';

// Three engine processes on one PostgreSQL schema, 50 tenants, leads over every path (submitted,
// adopted from the CRM, night leads woken in the morning, retries, outcomes by the phone's last
// digit); one process killed with SIGKILL mid-run and restarted, another stopped with SIGTERM.
// The children record what the outside world received (dials with their start and end, CRM leads
// created) in the table scale_log; this file counts it. Sized for CI; PROZVON_SCALE_LEADS=10000
// for the issue's size.
//
// Simulated time runs at a fixed pace whatever the machine's load, so every simulated span the
// engine waits (a lease, a port's deadline, a retry, a customer's night) is a real span here; on a
// loaded CI machine (the whole suite at once on two cores) a 600× world saw deadlines of 0.7 s
// pass, leases run out and retries fall into New York's night. So 200×, a lease of 30 minutes
// (9 s: the SIGKILLed process's leads are taken over after it), retries after 5 minutes.
const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..', '..');
const LEADS = Number(process.env.PROZVON_SCALE_LEADS ?? 600);
const TENANTS = 50;
const SLOTS = 3;
// Simulated ms per real ms: a 5-minute retry takes 1.5 s, the New York morning 3 s, and New York's
// evening (the shops are open around the clock; its quiet hours start at 21:00 there) 219 s.
const SPEED = Number(process.env.PROZVON_SCALE_SPEED ?? 200);
/**
 * How long the leads get to finish, in real time: on a quiet machine they finish in about 15 s
 * (the wait ends then); with the whole suite on two cores, several times that.
 */
const FINISH_MS = Number(process.env.PROZVON_SCALE_FINISH_MS ?? Math.max(120_000, LEADS * 20));
/** How long the stopped process may take to submit its share. */
const INTAKE_MS = Math.max(60_000, LEADS * 30);
// Where simulated time starts: a weekday, 16:50 in Moscow, 08:50 in New York (asleep for ten more
// minutes).
const SIMULATED_START = Date.parse(process.env.PROZVON_SCALE_START ?? '2026-11-25T13:50:00Z');
const db = useFreshSchema();

beforeAll(() => {
  if (!postgres.found) return; // skipped, and said why (support/postgres-schema.ts)
  // The children run the built SDK and store (plain Node, no test transform); tsc -b changes
  // nothing when dist is up to date (`npm test` builds first).
  const tsc = join(packageDir, '..', '..', 'node_modules', '.bin', 'tsc');
  for (const dir of [join(packageDir, '..', 'sdk'), packageDir])
    execFileSync(tsc, ['-b', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
}, 180_000);

let admin: pg.Client | undefined;
afterAll(async () => {
  await admin?.end();
});

/** One engine process, with its output kept for a failure message. */
class Engine {
  readonly child: ChildProcess;
  readonly closed: Promise<void>;
  output = '';

  constructor(
    readonly slot: number,
    settings: Record<string, unknown>,
  ) {
    this.child = spawn(process.execPath, [join(here, 'engine-child.mjs')], {
      env: { ...process.env, PROZVON_SCALE: JSON.stringify({ ...settings, slot }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-32_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.closed = new Promise((resolve) => this.child.once('close', () => resolve()));
  }

  /** Until the child has printed `line` (it ends, or `withinMs` pass: a failure with its output). */
  async said(line: string, withinMs = 60_000): Promise<void> {
    for (let waited = 0; !this.output.split('\n').includes(line); waited += 20) {
      if (this.child.exitCode !== null || this.child.signalCode !== null || waited > withinMs)
        throw new Error(`engine ${this.slot} did not say "${line}": ${this.describe()}`);
      await sleep(20);
    }
  }

  describe(): string {
    const { pid, exitCode, signalCode } = this.child;
    return `slot ${this.slot} pid ${pid} ${exitCode !== null ? `exited ${exitCode}` : (signalCode ?? 'running')}:\n${this.output}`;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Interval {
  tenant: string;
  pid: number;
  t0: number;
  t1: number;
}

/** The most intervals open at one instant, of each group (a sweep over starts and ends). */
function peakOverlap(intervals: readonly Interval[], group: (i: Interval) => string): Map<string, number> {
  const events = new Map<string, [number, number][]>();
  for (const i of intervals) {
    const list = events.get(group(i)) ?? [];
    list.push([i.t0, 1], [i.t1, -1]);
    events.set(group(i), list);
  }
  const peaks = new Map<string, number>();
  for (const [key, list] of events) {
    // An end before a start at the same instant: touching calls do not overlap.
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let open = 0;
    let peak = 0;
    for (const [, step] of list) {
      open += step;
      peak = Math.max(peak, open);
    }
    peaks.set(key, peak);
  }
  return peaks;
}

describe.skipIf(!postgres.found)('three engine processes on one PostgreSQL database', () => {
  it(
    `drive ${LEADS} leads of ${TENANTS} tenants through a SIGKILL and a SIGTERM: none lost, none twice`,
    async () => {
      // Migrated once here, so that the children do not race to create the tables.
      const store = await PostgresLeadStore.open({ url: db.url(), schema: db.schema(), poolSize: 2 });
      await store.close();
      admin = new pg.Client({ connectionString: db.url(), options: `-c search_path=${db.schema()}` });
      await admin.connect();
      await admin.query(
        `CREATE TABLE scale_log (id bigserial PRIMARY KEY, kind text NOT NULL, key text NOT NULL,
           lead_id text, tenant_id text, pid int NOT NULL, t0 bigint, t1 bigint, extra text);
         CREATE INDEX scale_log_key ON scale_log (kind, key)`,
      );
      const count = async (sql: string): Promise<number> => Number((await admin?.query(sql))?.rows[0]?.n);

      const settings = {
        url: db.url(),
        schema: db.schema(),
        slots: SLOTS,
        leads: LEADS,
        tenants: TENANTS,
        speed: SPEED,
        realStart: Date.now(),
        simulatedStart: SIMULATED_START,
      };
      const engines = Array.from({ length: SLOTS }, (_, slot) => new Engine(slot, settings));
      const lives: Engine[] = [...engines];
      try {
        for (const engine of engines) await engine.said('ready');
        // Slot 0 dies mid-run (while submitting its share, or dialling) and comes back.
        await sleep(300 + Math.floor(Math.random() * 700));
        const killed = engines[0] as Engine;
        const dialsBeforeKill = await count("SELECT COUNT(*) AS n FROM scale_log WHERE kind = 'dial'");
        killed.child.kill('SIGKILL');
        await killed.closed;
        const restarted = new Engine(0, settings);
        lives.push(restarted);
        await restarted.said('ready');
        // Slot 1 is stopped as an operator would, once its share is in: it ends its work and exits 0.
        const stopped = engines[1] as Engine;
        await stopped.said('submitted', INTAKE_MS);
        await sleep(500);
        stopped.child.kill('SIGTERM');
        await stopped.closed;
        expect(stopped.child.exitCode, stopped.describe()).toBe(0);

        const deadline = Date.now() + FINISH_MS;
        while (Date.now() < deadline) {
          const submitted = await count(
            "SELECT COUNT(DISTINCT key) AS n FROM scale_log WHERE kind = 'submitted'",
          );
          const open = await count('SELECT COUNT(*) AS n FROM leads WHERE NOT finished');
          if (submitted === LEADS && open === 0) break;
          await sleep(250);
        }
        // Leads left open: what the live processes' connections are doing now, before they stop (a
        // transaction idle or waiting on a lock says more than the leads' rows afterwards).
        const stillOpen = await count('SELECT COUNT(*) AS n FROM leads WHERE NOT finished');
        const activity =
          stillOpen === 0
            ? []
            : ((
                await admin.query(
                  `SELECT pid, application_name, state, wait_event_type, wait_event,
                     round(extract(epoch FROM now() - xact_start) * 1000) AS xact_ms, left(query, 120) AS query
                   FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                     AND application_name LIKE 'prozvon%'`,
                )
              ).rows as unknown[]);
        for (const engine of [restarted, engines[2] as Engine]) engine.child.kill('SIGTERM');
        await Promise.all(lives.map((engine) => engine.closed));

        const q = async <T>(sql: string): Promise<T[]> => ((await admin?.query(sql))?.rows ?? []) as T[];
        const submitted = await q<{ key: string; lead_id: string }>(
          "SELECT DISTINCT key, lead_id FROM scale_log WHERE kind = 'submitted'",
        );
        const stored = new Set((await q<{ id: string }>('SELECT id FROM leads')).map((row) => row.id));
        const dials = await q<{ tenant_id: string; pid: number; t0: string; t1: string | null }>(
          "SELECT tenant_id, pid, t0, t1 FROM scale_log WHERE kind = 'dial'",
        );
        // A dial whose process was killed before StartScenarios answered: open until the kill, at
        // most; counted as 40 ms (the double's longest), the least that could be said of it.
        const intervals = dials.map((d) => ({
          tenant: d.tenant_id,
          pid: d.pid,
          t0: Number(d.t0),
          t1: d.t1 === null ? Number(d.t0) + 40 : Number(d.t1),
        }));
        const perTenant = peakOverlap(intervals, (i) => i.tenant);
        const perTenantAndProcess = peakOverlap(intervals, (i) => `${i.tenant} ${i.pid}`);
        const over = (peaks: Map<string, number>) => [...peaks.values()].filter((peak) => peak > 1).length;
        const figures = {
          leads: LEADS,
          tenants: TENANTS,
          processes: lives.length,
          dialsBeforeKill,
          submitted: submitted.length,
          stored: stored.size,
          lost: submitted.filter((row) => !stored.has(row.lead_id)).length,
          finished: await count('SELECT COUNT(*) AS n FROM leads WHERE finished'),
          unfinished: await count('SELECT COUNT(*) AS n FROM leads WHERE NOT finished'),
          adopted: await count('SELECT COUNT(*) AS n FROM leads WHERE adopted_crm_lead_id IS NOT NULL'),
          dials: dials.length,
          leadsDialled: await count("SELECT COUNT(DISTINCT lead_id) AS n FROM scale_log WHERE kind = 'dial'"),
          dialKeysUsedTwice: await count(
            "SELECT COUNT(*) AS n FROM (SELECT key FROM scale_log WHERE kind = 'dial' GROUP BY key HAVING COUNT(*) > 1) twice",
          ),
          crmCreates: await count("SELECT COUNT(*) AS n FROM scale_log WHERE kind = 'crm-lead'"),
          duplicateCrmCreates: await count(
            "SELECT COUNT(*) AS n FROM (SELECT key FROM scale_log WHERE kind = 'crm-lead' GROUP BY key HAVING COUNT(*) > 1) twice",
          ),
          retried: await count(
            "SELECT COUNT(*) AS n FROM (SELECT lead_id FROM scale_log WHERE kind = 'dial' GROUP BY lead_id HAVING COUNT(*) > 1) again",
          ),
          // maxCallsInFlight is 1 for every tenant: a tenant whose calls overlapped at some instant.
          tenantsOverCapInOneProcess: over(perTenantAndProcess),
          tenantsOverCapAcrossProcesses: over(perTenant),
          peakCallsOfOneTenant: Math.max(0, ...perTenant.values()),
        };
        process.stdout.write(`pg scale-and-crash: ${JSON.stringify(figures)}\n`);
        if (figures.unfinished > 0) {
          // What a stuck lead looks like, in simulated time: why it did not finish says more than a count.
          const simulatedNow = SIMULATED_START + (Date.now() - settings.realStart) * SPEED;
          const stuck = await q<Record<string, unknown>>(
            `SELECT l.id, l.tenant_id, l.crm_state, l.call_state, l.wake_at, l.lease_owner, l.lease_until,
               (SELECT json_agg(json_build_object('kind', e.kind, 'status', e.status, 'at', e.available_at,
                  'attempts', e.attempts, 'owner', e.lease_owner) ORDER BY e.id) FROM effects e WHERE e.lead_id = l.id) AS effects,
               (SELECT json_agg(a.entries ORDER BY a.id) FROM audit_log a WHERE a.lead_id = l.id) AS audit
             FROM leads l WHERE NOT l.finished LIMIT 5`,
          );
          process.stdout.write(`connections while leads were open: ${JSON.stringify(activity, null, 1)}\n`);
          process.stdout.write(
            `unfinished at simulated ${new Date(simulatedNow).toISOString()}: ${JSON.stringify(stuck, null, 1)}\n`,
          );
        }

        expect(figures.submitted).toBe(LEADS);
        expect(figures.lost).toBe(0);
        expect(figures.unfinished).toBe(0);
        expect(figures.finished).toBe(LEADS);
        expect(figures.dialKeysUsedTwice).toBe(0);
        expect(figures.duplicateCrmCreates).toBe(0);
        expect(figures.tenantsOverCapInOneProcess).toBe(0);
        // The cap is kept by the database across the processes (a call counts while its row is
        // started with a live lease, until its outcome is written: longer than the StartScenarios
        // request measured here, so the count is on the safe side).
        expect(figures.tenantsOverCapAcrossProcesses).toBe(0);
        expect(figures.peakCallsOfOneTenant).toBeLessThanOrEqual(1);
      } catch (error) {
        for (const life of lives) process.stderr.write(`${life.describe()}\n`);
        throw error;
      } finally {
        for (const life of lives)
          if (life.child.exitCode === null && life.child.signalCode === null) life.child.kill('SIGKILL');
      }
    },
    INTAKE_MS + FINISH_MS + 120_000,
  );
});
