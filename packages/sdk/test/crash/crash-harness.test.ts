import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeed, seededRandom } from '../support/seed.js';
import { DurableLog } from './durable-log.mjs';
import { furthestRecorded } from './relay-clock.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..', '..');
const KILLS = Number(process.env.PROZVON_CRASH_KILLS ?? 200);
// Engines running (and dying) side by side on the one file: two instances sharing the work, and
// half the wall time for the same number of kills.
const LANES = Number(process.env.PROZVON_CRASH_LANES ?? 2);
const LEADS = Number(process.env.PROZVON_CRASH_LEADS ?? 60);
// 600 simulated ms per real ms of an engine's life: a 30-minute retry takes 3 s, a callback
// timeout half a second (relay-clock.mjs: time stands still while no engine runs).
const SPEED = 600;
// The kill points, and every child's Math.random (retry jitter, callback delays), come from the
// run's seed: PROZVON_SEED replays the same choices. The interleaving of two processes on a
// loaded machine is the OS's, so a replay is close to the run, not identical.
const SEED = runSeed();
const random = seededRandom(SEED);
/** What is kept of each life's output (stdout and stderr), from its end. */
const OUTPUT_KEPT = 64 * 1024;
// A 1,000-kill run took 820 s of its 900 on a shared 2-core machine: the budget grows with the
// kills (about 0.8 s each there), so a loaded machine makes a run slow, never a failure.
const TEST_TIMEOUT_MS = Math.max(900_000, KILLS * 2_000);

let dir: string;

beforeAll(() => {
  // The child runs the built SDK (plain Node, no test transform). `npm test` builds first (turbo);
  // this covers a direct `vitest run`, and tsc -b changes nothing when dist is up to date.
  execFileSync(join(packageDir, '..', '..', 'node_modules', '.bin', 'tsc'), ['-b', 'tsconfig.build.json'], {
    cwd: packageDir,
    stdio: 'inherit',
  });
  dir = mkdtempSync(join(tmpdir(), 'prozvon-crash-'));
}, 180_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** One life of the engine: a child process, with its output kept for when it fails. */
class Life {
  readonly child: ChildProcess;
  /** Settles once the process has ended and its output has been read to the end. */
  readonly closed: Promise<void>;
  #output = '';

  constructor(
    readonly index: number,
    readonly mode: 'run' | 'final',
    settings: Record<string, unknown>,
  ) {
    this.child = spawn(process.execPath, [join(here, 'crash-child.mjs')], {
      env: { ...process.env, PROZVON_CRASH: JSON.stringify({ ...settings, mode, life: index, seed: SEED }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString()).slice(-OUTPUT_KEPT);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.closed = new Promise((resolve) => this.child.once('close', () => resolve()));
  }

  /** Who it was, how it ended and what it printed: for the failure message. */
  describe(): string {
    const { pid, exitCode, signalCode } = this.child;
    const end = exitCode !== null ? `exited with ${exitCode}` : (signalCode ?? 'still running');
    return `life ${this.index} (${this.mode}, pid ${pid}) ${end}; its output:\n${this.#output || '(none)'}`;
  }
}

/** Resolves with the first line the child prints that passes `accept`. */
function lineFrom(life: Life, accept: (line: string) => boolean, timeoutMs: number): Promise<string> {
  const { child } = life;
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the engine did not answer in time: ${life.describe()}`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      const found = lines.find(accept);
      if (found !== undefined) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    // 'close', not 'exit': the output is read to its end, so the message holds all of it.
    void life.closed.then(() => {
      clearTimeout(timer);
      reject(new Error(`the engine ended before answering: ${life.describe()}`));
    });
  });
}

function duplicates(log: DurableLog, kind: string, filter: (key: string) => boolean = () => true): number {
  const seen = new Map<string, number>();
  for (const [entryKind, key] of log.entries) {
    if (entryKind === kind && key !== undefined && filter(key)) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen.values()].filter((count) => count > 1).length;
}

/** The config's retry interval (30 minutes by default): the least time between two rings of one lead. */
const RETRY_INTERVAL_MS = 30 * 60_000;

/** Pairs of calls placed to one lead closer together than `intervalMs` (in simulated time). */
function ringsTooSoon(log: DurableLog, intervalMs: number): number {
  const byLead = new Map<string, number[]>();
  for (const [kind, , leadId, at] of log.entries) {
    if (kind !== 'dial' || leadId === undefined || at === undefined) continue;
    byLead.set(leadId, [...(byLead.get(leadId) ?? []), Number(at)]);
  }
  let pairs = 0;
  for (const times of byLead.values()) {
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) {
      if ((times[i] ?? 0) - (times[i - 1] ?? 0) < intervalMs) pairs++;
    }
  }
  return pairs;
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

describe('crash safety', () => {
  it(
    `survives ${KILLS} SIGKILLs at random points without a lost lead, a second CRM lead or a second ring`,
    async () => {
      // A weekday, 15:30 in Moscow: the shop is open until 21:00; the New York customers are asleep
      // until 17:00 Moscow. The kills cover about three simulated hours, so they hit New York's
      // morning wake-up and retries too; the final life goes on through the night.
      const settings = {
        dir,
        leads: LEADS,
        speed: SPEED,
        simulatedStart: Date.parse('2026-11-25T12:30:00Z'),
      };
      process.stdout.write(`crash harness seed: ${SEED} (replay with PROZVON_SEED=${SEED})\n`);
      let killedWhileWorking = 0;
      let kills = 0;
      /** Lives that ended by themselves: an engine crash, whatever the figures say afterwards. */
      const crashed: string[] = [];
      const lane = async () => {
        while (kills < KILLS) {
          kills++;
          const life = new Life(kills, 'run', settings);
          await lineFrom(life, (line) => line === 'ready', 30_000);
          await new Promise((resolve) => setTimeout(resolve, random() * 120));
          if (life.child.exitCode === null) killedWhileWorking++;
          life.child.kill('SIGKILL');
          await life.closed;
          if (life.child.exitCode !== null) crashed.push(life.describe());
        }
      };
      await Promise.all(Array.from({ length: LANES }, lane));
      for (const life of crashed)
        process.stderr.write(`crash harness: an engine crashed by itself: ${life}\n`);

      const killPhaseEnd = furthestRecorded(join(dir, 'clock.log'));
      const final = new Life(kills + 1, 'final', settings);
      const summary = JSON.parse(await lineFrom(final, (line) => line.startsWith('{'), 180_000)) as {
        finished: boolean;
        now: number;
      };
      await final.closed;
      if (final.child.exitCode !== 0) throw new Error(`the final life failed: ${final.describe()}`);

      const log = new DurableLog(join(dir, 'received.log'));
      // The engines are gone, but a lock is waited for all the same: never `database is locked`.
      const db = new DatabaseSync(join(dir, 'leads.db'), { readOnly: true, timeout: 10_000 });
      const leads = db
        .prepare(
          "SELECT id, finished, wake_at, crm_state, call_state, json_extract(snapshot, '$.context.manualReason') AS reason, json_extract(snapshot, '$.context.attempt') AS attempts FROM leads",
        )
        .all() as {
        id: string;
        finished: number;
        wake_at: number | null;
        crm_state: string;
        call_state: string;
        reason: string | null;
        attempts: number;
      }[];
      db.close();
      const stuck = leads.filter(
        (lead) => lead.finished === 0 && !(lead.wake_at !== null && lead.wake_at > summary.now),
      );
      const dialled = new Set(log.entries.filter(([kind]) => kind === 'dial').map((entry) => entry[2]));
      const figures = {
        seed: SEED,
        kills,
        livesCrashed: crashed.length,
        simulatedHoursKilled: Number(((killPhaseEnd - settings.simulatedStart) / 3_600_000).toFixed(1)),
        lanes: LANES,
        killedWhileWorking,
        leads: leads.length,
        finished: leads.filter((lead) => lead.finished === 1).length,
        waiting: leads.filter(
          (lead) => lead.finished === 0 && lead.wake_at !== null && lead.wake_at > summary.now,
        ).length,
        stuck: stuck.length,
        duplicateCrmCreates: duplicates(log, 'crm-lead'),
        dialsSentTwice: duplicates(log, 'dial'),
        nightSmsSentTwice: duplicates(log, 'sms', (key) => key.endsWith(':sms:night')),
        smsSentTwice: duplicates(log, 'sms'),
        dials: log.count('dial'),
        // Dials that reached the provider after their lead's call region had ended (defect 1).
        dialsAfterFinal: log.count('dial-after-final'),
        // A customer rung again sooner than the retry interval after a call that was placed: what a
        // dial held back past the callback timeout did once (defect 1), as a second attempt.
        ringsTooSoon: ringsTooSoon(log, RETRY_INTERVAL_MS),
        leadsDialled: dialled.size,
        // Leads whose every dial was stored started and killed before it left: since defect 16 the
        // engine dials again when call history shows no call, so this is nearly always 0.
        neverDialled: leads.filter((lead) => !dialled.has(lead.id)).length,
        neverDialledWhy: countBy(
          leads
            .filter((lead) => !dialled.has(lead.id))
            .map((lead) => `${lead.call_state} ${lead.reason} after ${lead.attempts} attempts`),
        ),
        outcomes: countBy(leads.map((lead) => lead.call_state)),
        crmLeads: log.count('crm-lead'),
      };
      process.stdout.write(`crash harness: ${JSON.stringify(figures)}\n`);

      expect(crashed).toEqual([]);
      expect(summary.finished).toBe(true);
      expect(leads.length).toBeGreaterThanOrEqual(LEADS);
      expect(stuck).toEqual([]);
      expect(figures.finished).toBe(leads.length);
      expect(figures.duplicateCrmCreates).toBe(0);
      expect(figures.dialsSentTwice).toBe(0);
      expect(figures.dialsAfterFinal).toBe(0);
      expect(figures.ringsTooSoon).toBe(0);
      expect(figures.nightSmsSentTwice).toBe(0);
      expect(figures.smsSentTwice).toBe(0);
      // Every lead reached the CRM (none has a broken token here). Every phone is usable, so a lead
      // never dialled is one whose dial was marked started and then killed before it left: it is
      // never sent again, and with no call to find it goes to the sellers.
      expect(figures.crmLeads).toBe(leads.length);
      expect(leads.filter((lead) => !dialled.has(lead.id) && lead.call_state !== 'call.manual')).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
