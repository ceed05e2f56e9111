import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createIntakeHandler, StoreBusyError } from '../../src/index.js';
import { SqliteLeadStore } from '../../src/stores/sqlite/index.js';
import { startEngine } from '../engine/harness.js';
import { useTempDir } from '../stores/sqlite/temp-dir.js';

// Another engine holding the database past every retry is the worst a busy database may cost: the
// intake answers 503 with Retry-After (the shop's form tries again), the engine goes on.

const dir = useTempDir();
// Registered after the temp dir's hook, so it runs first: the store closes before its file goes.
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('an engine whose database another process keeps busy', () => {
  it('answers the intake with 503 and Retry-After, and accepts the lead once the database is free', async () => {
    const file = join(dir(), 'leads.db');
    const store = new SqliteLeadStore(file, { busyTimeoutMs: 5, busyRetryMs: 50, checkpointEveryMs: 0 });
    cleanup.push(() => store.close());
    const { engine } = await startEngine({ store, engine: { owner: 'a' } });
    cleanup.push(() => engine.stop());
    const errors: unknown[] = [];
    const secret = 'a-shop-intake-secret-0123456789';
    const intake = createIntakeHandler({
      secret,
      submit: (body) => engine.submitLead(body),
      onError: (error) => errors.push(error),
    });
    const post = () =>
      intake(
        new Request('http://127.0.0.1/leads', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
          body: JSON.stringify({ name: 'Анна', phone: '8 (916) 123-45-67' }),
        }),
      );

    const holder = new DatabaseSync(file);
    cleanup.push(() => holder.close());
    holder.exec('BEGIN IMMEDIATE');
    const refused = await post();
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(errors).toEqual([expect.any(StoreBusyError)]);

    holder.exec('COMMIT');
    const accepted = await post();
    expect(accepted.status).toBe(202);
  });
});
