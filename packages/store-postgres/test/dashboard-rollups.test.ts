import { BLOCK_DAYS, QUARTER_MS, speedBucket } from '@prozvon/sdk/stores';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeed, seededRandom } from '../../sdk/test/support/seed.js';
import { applyPgMigrations, PG_MIGRATIONS } from '../src/index.js';
import { postgres, useFreshSchema } from './support/postgres-schema.js';

// The rollups (migrations 10, 11 and 15) against a fresh count of the counted leads (an outcome,
// or finished: the rollups hold no lead in progress), after a random run of inserts, updates of
// the calling facts, leads finishing (or taken back), moves and deletes, some several to a
// statement and several to a transaction: as the triggers kept them, and as the migrations build
// them from the same leads stored before them (a schema migrated up to 9, the same writes, then 10
// and on). The run's seed: PROZVON_SEED replays it.
const db = useFreshSchema();
const ROLLUPS_MIGRATION = 10;
const COUNTED_MIGRATION = 11;
const INLINED_MIGRATION = 12;
const DAY = 86_400_000;
const T0 = Date.parse('2026-01-03T00:00:00Z');
const OUTCOMES = ['answered', 'machine', 'no_answer', 'invalid', 'manual', null] as const;

type Lead = Record<string, unknown> & { id: string; submitted_at: number };
type Write = { text: string; values: unknown[] };

const INSERT = `INSERT INTO leads (id, tenant_id, crm_state, call_state, snapshot, finished, submitted_at,
  updated_at, version, partner, partner_name, site, order_sum, currency, first_ring_at, answered_at, outcome,
  machine_person_at) VALUES ($1, $2, 'crm.created', 'call.new', '{}', $13, $3, $3, 1, $4, $5, $6, $7, $8,
  $9, $10, $11, $12)`;

/** A random run of writes, in transactions of one to four. */
function randomWrites(random: () => number): Write[][] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const ids: string[] = [];
  const at = () => T0 + Math.floor(random() * 100 * DAY);
  const ring = (submitted: number) => (random() < 0.7 ? submitted + Math.floor(random() * 300_000) : null);
  const calling = (): Write => {
    const id = pick(ids);
    const column = pick(['outcome', 'first_ring_at', 'answered_at', 'partner_name', 'machine_person_at']);
    const value =
      column === 'outcome'
        ? pick(OUTCOMES)
        : column === 'partner_name'
          ? pick(['Иван', 'Мария', 'Аня', null])
          : column === 'machine_person_at'
            ? pick([T0, null])
            : random() < 0.8
              ? Math.floor(random() * 400_000)
              : null;
    // The instants are written relative to the lead's own submit time.
    const set = column.endsWith('_at') && value !== null ? `submitted_at + $2::bigint` : '$2';
    return { text: `UPDATE leads SET ${column} = ${set} WHERE id = $1`, values: [id, value] };
  };
  const move = (): Write => {
    const id = pick(ids);
    const column = pick(['tenant_id', 'submitted_at', 'partner', 'site', 'order_sum', 'currency']);
    const value =
      column === 'tenant_id'
        ? pick(['shop-1', 'shop-2'])
        : column === 'submitted_at'
          ? at()
          : column === 'order_sum'
            ? pick([null, Math.floor(random() * 20_000) / 2])
            : column === 'currency'
              ? pick(['RUB', 'USD', null])
              : pick(['P1', 'P2', 'a.example', null]);
    // Sometimes a calling fact changes in the same statement: the move takes the old away.
    const also =
      random() < 0.3
        ? `, ${pick(["outcome = 'manual'", "outcome = 'answered'", 'outcome = NULL', 'finished = NOT finished'])}`
        : '';
    return { text: `UPDATE leads SET ${column} = $2${also} WHERE id = $1`, values: [id, value] };
  };
  const insert = (): Write => {
    const id = `l${ids.length}`;
    ids.push(id);
    const submitted = at();
    const outcome = pick(OUTCOMES);
    const rung = ring(submitted);
    return {
      text: INSERT,
      values: [
        id,
        pick(['shop-1', 'shop-1', 'shop-2']),
        submitted,
        pick(['P1', 'P2', 'P3', null]),
        pick(['Иван', 'Мария', null]),
        pick(['a.example', 'b.example', null]),
        random() < 0.8 ? Math.floor(random() * 20_000) / 2 : null,
        pick(['RUB', 'USD', null]),
        rung,
        rung !== null && outcome === 'answered' ? rung + Math.floor(random() * 30_000) : null,
        outcome,
        outcome === 'machine' && random() < 0.3 ? T0 : null,
        random() < 0.2,
      ],
    };
  };
  // A lead finishing, sometimes with an outcome in the same statement; now and then taken back.
  const finish = (): Write => {
    const also = random() < 0.3 ? `, outcome = ${pick(["'no_answer'", 'NULL'])}` : '';
    return {
      text: `UPDATE leads SET finished = $2${also} WHERE id = $1`,
      values: [pick(ids), random() < 0.85],
    };
  };
  // Several leads in one statement: the fold (migration 15) stages each statement's rows together.
  const several = (): Write => {
    const some = [pick(ids), pick(ids), pick(ids)];
    return random() < 0.5
      ? {
          text: `UPDATE leads SET outcome = $2, first_ring_at = submitted_at + 7000 WHERE id = ANY($1)`,
          values: [some, pick(OUTCOMES)],
        }
      : { text: 'UPDATE leads SET finished = NOT finished WHERE id = ANY($1)', values: [some] };
  };
  const transactions: Write[][] = [];
  for (let i = 0; i < 400; i += 1) {
    const writes: Write[] = [];
    const size = 1 + Math.floor(random() * 4);
    for (let j = 0; j < size; j += 1) {
      const roll = random();
      if (ids.length < 20 || roll < 0.4) writes.push(insert());
      else if (roll < 0.65) writes.push(calling());
      else if (roll < 0.7) writes.push(several());
      else if (roll < 0.8) writes.push(finish());
      else if (roll < 0.93) writes.push(move());
      else if (roll < 0.97) writes.push({ text: 'DELETE FROM leads WHERE id = $1', values: [pick(ids)] });
      else writes.push({ text: 'DELETE FROM leads WHERE id = ANY($1)', values: [[pick(ids), pick(ids)]] });
    }
    transactions.push(writes);
  }
  return transactions;
}

interface RollupRow {
  key: string;
  name: string | null;
  counts: number[];
  sums: Record<string, [number, number]>;
  ring: Record<string, number>;
  answer: Record<string, number>;
}

/** Whether a lead is in the rollups: once it has an outcome or is finished (migration 11). */
const counted = (lead: Lead) => lead.outcome !== null || lead.finished === true;

/** The rollups as the counted leads give them now, counted here (the SDK's speed buckets). */
function freshRollups(all: Lead[]): { rollups: Map<string, RollupRow>; quarters: Map<string, number[]> } {
  const leads = all.filter(counted);
  const rollups = new Map<string, RollupRow>();
  const quarters = new Map<string, number[]>();
  const countsOf = (lead: Lead) => [
    1,
    ...OUTCOMES.map((outcome) => (lead.outcome === outcome ? 1 : 0)),
    lead.outcome === 'machine' && lead.machine_person_at !== null ? 1 : 0,
  ];
  const add = (into: number[], counts: number[]) => {
    for (const [i, n] of counts.entries()) into[i] = (into[i] ?? 0) + n;
  };
  for (const lead of leads) {
    const counts = countsOf(lead);
    for (const span of [1, BLOCK_DAYS]) {
      for (const dim of ['partner', 'site'] as const) {
        const day = Math.trunc(lead.submitted_at / DAY / span) * span;
        const grp = lead[dim] === null ? '' : `=${lead[dim]}`;
        const key = `${lead.tenant_id}|${dim}|${span}|${day}|${grp}`;
        let row = rollups.get(key);
        if (row === undefined) {
          row = { key, name: null, counts: [], sums: {}, ring: {}, answer: {} };
          rollups.set(key, row);
        }
        add(row.counts, counts);
        const name = dim === 'partner' ? (lead.partner_name as string | null) : null;
        if (name !== null && (row.name === null || name > row.name)) row.name = name;
        if (lead.order_sum !== null) {
          const currency = lead.currency === null ? '-' : `=${lead.currency}`;
          const [n, total] = row.sums[currency] ?? [0, 0];
          row.sums[currency] = [n + 1, total + Number(lead.order_sum)];
        }
        for (const [histogram, column] of [
          [row.ring, 'first_ring_at'],
          [row.answer, 'answered_at'],
        ] as const) {
          if (lead[column] === null) continue;
          const bucket = String(speedBucket(Number(lead[column]) - lead.submitted_at));
          histogram[bucket] = (histogram[bucket] ?? 0) + 1;
        }
      }
    }
    const quarter = `${lead.tenant_id}|${Math.trunc(lead.submitted_at / QUARTER_MS) * QUARTER_MS}`;
    const counted = quarters.get(quarter) ?? [];
    add(counted, counts.slice(0, -1));
    quarters.set(quarter, counted);
  }
  return { rollups, quarters };
}

/** A schema's rollups, rows of no leads left out and the entries of a count of 0 dropped. */
async function storedRollups(client: pg.Client) {
  const rollups = new Map<string, RollupRow>();
  const quarters = new Map<string, number[]>();
  const nonZero = <T>(object: Record<string, T>, count: (value: T) => number) =>
    Object.fromEntries(Object.entries(object).filter(([, value]) => count(value) !== 0));
  const columns = 'leads, answered, machine, no_answer, invalid, manual, in_progress';
  for (const row of (await client.query(`SELECT *, ${columns} FROM dashboard_rollups`)).rows) {
    if (row.leads === 0) {
      // Every lead taken away: nothing counted is left either.
      expect(Object.values(row.sums).every((sum) => (sum as number[]).every((n) => n === 0))).toBe(true);
      continue;
    }
    const key = `${row.tenant_id}|${row.dim}|${row.span}|${row.day}|${row.grp}`;
    rollups.set(key, {
      key,
      name: row.name,
      counts: [
        row.leads,
        row.answered,
        row.machine,
        row.no_answer,
        row.invalid,
        row.manual,
        row.in_progress,
        row.marked,
      ],
      sums: nonZero(row.sums as Record<string, [number, number]>, ([n]) => n),
      ring: nonZero(row.ring as Record<string, number>, (n) => n),
      answer: nonZero(row.answer as Record<string, number>, (n) => n),
    });
  }
  for (const row of (await client.query(`SELECT tenant_id, quarter, ${columns} FROM dashboard_quarters`))
    .rows) {
    if (row.leads === 0) continue;
    quarters.set(`${row.tenant_id}|${row.quarter}`, [
      row.leads,
      row.answered,
      row.machine,
      row.no_answer,
      row.invalid,
      row.manual,
      row.in_progress,
    ]);
  }
  return { rollups, quarters };
}

describe.skipIf(!postgres.found)('PostgreSQL dashboard rollups (migrations 10 to 12, 15)', () => {
  const clients: pg.Client[] = [];
  const connect = async (schema: string) => {
    const pool = new pg.Pool({ connectionString: db.url(), max: 1, options: `-c search_path=${schema}` });
    await applyPgMigrations(pool, {
      schema,
      migrations:
        schema === db.schema() ? PG_MIGRATIONS : PG_MIGRATIONS.filter((m) => m.id < ROLLUPS_MIGRATION),
    });
    await pool.end();
    const client = new pg.Client({ connectionString: db.url(), options: `-c search_path=${schema}` });
    await client.connect();
    clients.push(client);
    return client;
  };
  let live: pg.Client;
  let before: pg.Client;
  beforeAll(async () => {
    live = await connect(db.schema());
    before = await connect(`${db.schema()}_before`);
  });
  afterAll(async () => {
    await before?.query(`DROP SCHEMA IF EXISTS ${db.schema()}_before CASCADE`);
    await Promise.all(clients.map((client) => client.end()));
  });

  it('equal a fresh count after random inserts, fact updates, moves and deletes; the backfill too', async () => {
    const transactions = randomWrites(seededRandom(runSeed()));
    for (const client of [live, before]) {
      for (const writes of transactions) {
        await client.query('BEGIN');
        for (const write of writes) await client.query(write.text, write.values);
        await client.query('COMMIT');
      }
    }
    const leads = (
      await live.query(`SELECT id, tenant_id, submitted_at::float8 AS submitted_at, partner, partner_name, site,
        order_sum, currency, first_ring_at::float8 AS first_ring_at, answered_at::float8 AS answered_at, outcome,
        machine_person_at, finished FROM leads`)
    ).rows as Lead[];
    expect(leads.length).toBeGreaterThan(200);
    // Both kinds, in numbers: the rule is tested, not one side of it.
    expect(leads.filter(counted).length).toBeGreaterThan(100);
    expect(leads.filter((lead) => !counted(lead)).length).toBeGreaterThan(20);
    const fresh = freshRollups(leads);
    const triggered = await storedRollups(live);

    // The triggers: everything a fresh count gives, but the partner's name, which is sticky (the
    // greatest ever seen in the row, of leads since renamed, moved or deleted too).
    const withoutName = (rows: Map<string, RollupRow>) =>
      [...rows.values()].map(({ name: _, ...row }) => row).sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(withoutName(triggered.rollups)).toEqual(withoutName(fresh.rollups));
    for (const [key, row] of fresh.rollups) {
      const kept = triggered.rollups.get(key)?.name ?? null;
      if (row.name !== null) expect(kept !== null && kept >= row.name).toBe(true);
    }
    expect(triggered.quarters).toEqual(fresh.quarters);

    // The migrations over the same leads stored before them: exactly the fresh count, names too.
    const beforeLeads = await before.query('SELECT count(*)::int AS n FROM leads');
    expect(beforeLeads.rows[0]?.n).toBe(leads.length);
    const pool = new pg.Pool({
      connectionString: db.url(),
      max: 1,
      options: `-c search_path=${db.schema()}_before`,
    });
    // The rollups' migrations, and any that came after them.
    const applied = await applyPgMigrations(pool, { schema: `${db.schema()}_before` });
    expect(applied.slice(0, 3)).toEqual([ROLLUPS_MIGRATION, COUNTED_MIGRATION, INLINED_MIGRATION]);
    expect(applied).toEqual(PG_MIGRATIONS.map((m) => m.id).filter((id) => id >= ROLLUPS_MIGRATION));
    await pool.end();
    const backfilled = await storedRollups(before);
    expect([...backfilled.rollups.values()].sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual(
      [...fresh.rollups.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
    );
    expect(backfilled.quarters).toEqual(fresh.quarters);
  });

  it("inlines the jsonb helpers into the triggers' statements (migration 12)", async () => {
    // As the rollups' upsert calls them: of a row's columns, so nothing is folded to a constant.
    // Not inlined, each call was a SQL function parsed and planned at every trigger call.
    const { rows } = await live.query(`EXPLAIN (VERBOSE, FORMAT JSON)
      SELECT dashboard_bump(r.ring, dashboard_speed_bucket(r.day - r.span)::text, 1),
             dashboard_add_sum(r.sums, r.grp, r.leads::float8, 1)
      FROM dashboard_rollups r`);
    const output = JSON.stringify(rows[0]?.['QUERY PLAN']);
    expect(output).toContain('jsonb_set');
    expect(output).not.toMatch(/dashboard_(bump|add_sum|speed_bucket)/);
  });

  it('lets two transactions write leads of the same rollup rows in opposite orders (no deadlock)', async () => {
    // Rollup rows locked as each lead is written would deadlock here: A holds P1's and a.example's
    // rows and waits for P2's, which B holds while it waits for P1's. Written at the commit under
    // one lock, both commit.
    const other = new pg.Client({ connectionString: db.url(), options: `-c search_path=${db.schema()}` });
    await other.connect();
    clients.push(other);
    const day = T0 + 200 * DAY;
    // B's leads an hour later: the same day's rows, another quarter's.
    const lead = (id: string, partner: string, site: string, at: number) => ({
      text: INSERT,
      // Finished: in the rollups (a lead in progress would write none).
      values: [id, 'shop-9', at, partner, null, site, 10, 'RUB', null, null, null, null, true],
    });
    await live.query('BEGIN');
    await other.query('BEGIN');
    await live.query(lead('x1', 'P1', 'a.example', day));
    await other.query(lead('y1', 'P2', 'b.example', day + 3_600_000));
    const second = live.query(lead('x2', 'P2', 'b.example', day));
    await other.query(lead('y2', 'P1', 'a.example', day + 3_600_000));
    await second;
    await Promise.all([live.query('COMMIT'), other.query('COMMIT')]);
    const { rows } = await live.query(
      `SELECT grp, leads FROM dashboard_rollups WHERE tenant_id = 'shop-9' AND dim = 'partner' AND span = 1
       ORDER BY grp`,
    );
    expect(rows).toEqual([
      { grp: '=P1', leads: 2 },
      { grp: '=P2', leads: 2 },
    ]);
  });

  it('folds what a transaction kept: not a write rolled back to its savepoint, each schema into its own', async () => {
    const schema = db.schema();
    const other = `${schema}_before`;
    // The other schema as migrated as this one (the first test migrated it; alone, this does).
    const pool = new pg.Pool({ connectionString: db.url(), max: 1, options: `-c search_path=${other}` });
    await applyPgMigrations(pool, { schema: other });
    await pool.end();
    const day = T0 + 300 * DAY;
    const lead = (table: string, id: string) => ({
      text: INSERT.replace('INSERT INTO leads', `INSERT INTO ${table}.leads`),
      values: [id, 'shop-7', day, 'P1', null, null, 10, 'RUB', null, null, 'answered', null, false],
    });
    const counts = async (table: string) =>
      (
        await live.query(
          `SELECT leads, answered FROM ${table}.dashboard_rollups
           WHERE tenant_id = 'shop-7' AND dim = 'partner' AND span = 1`,
        )
      ).rows;

    // The first counted write of the transaction rolled back: its mark goes with it, and the
    // next one queues the fold again.
    await live.query('BEGIN');
    await live.query('SAVEPOINT s');
    await live.query(lead(schema, 's1'));
    await live.query('ROLLBACK TO SAVEPOINT s');
    await live.query(lead(schema, 's2'));
    // A later one rolled back: the fold already queued counts only what stayed.
    await live.query('SAVEPOINT t');
    await live.query(lead(schema, 's3'));
    await live.query('ROLLBACK TO SAVEPOINT t');
    // Another schema's lead in the same transaction: folded into that schema's rollups.
    await live.query(lead(other, 'o1'));
    await live.query(lead(other, 'o2'));
    await live.query('COMMIT');
    expect(await counts(schema)).toEqual([{ leads: 1, answered: 1 }]);
    expect(await counts(other)).toEqual([{ leads: 2, answered: 2 }]);

    // One statement writing leads of both schemas: both armed before either stages.
    const both = lead(schema, 's4');
    const second = lead(other, 'o3');
    await live.query(
      `WITH first AS (${both.text.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + 13}`)} RETURNING id)
       ${second.text}`,
      [...second.values, ...both.values],
    );
    expect(await counts(schema)).toEqual([{ leads: 2, answered: 2 }]);
    expect(await counts(other)).toEqual([{ leads: 3, answered: 3 }]);

    // Taken away from a row emptied in the same transaction: no row of no leads is made.
    await live.query('BEGIN');
    await live.query(`DELETE FROM dashboard_rollups WHERE tenant_id = 'shop-7'`);
    await live.query(`DELETE FROM leads WHERE tenant_id = 'shop-7'`);
    await live.query('COMMIT');
    expect(await counts(schema)).toEqual([]);
  });
});
