// pg_graphile_jobs_chain_leads_per_s: the peer a PostgreSQL user would pick for our lead
// lifecycle, graphile-worker (a dev dependency of the bench only), with the lifecycle written as a
// chain of jobs — one job per step, each adding the next: intake, CRM lead, sellers told, dial,
// call result, confirmation SMS, call on the CRM card. The steps' ports are instant, as the
// lifecycle benchmark's doubles are; concurrency 32, 256 leads in flight (a closed loop: the last
// job of a lead adds the first of the next). Its own schema, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { Logger, makeWorkerUtils, run } from 'graphile-worker';
import pg from 'pg';
import { sleep } from './setup.js';

const CHAIN = ['intake', 'createCrmLead', 'notifySellers', 'dial', 'callResult', 'sendSms', 'recordCall'];
const IN_FLIGHT = 256;
const CONCURRENCY = 32;

/** graphile-worker's errors on stderr, the rest dropped: the bench prints figures only. */
const logger = new Logger(() => (level, message) => {
  if (level === 'error') console.error(`# graphile-worker: ${message}`);
});

/**
 * Leads through the whole chain per second over `measureMs`, after `warmupMs`; with a `meter`
 * (lib/pg-backends.js), the server's CPU a lead too.
 */
export async function measureGraphileChain(url, { warmupMs, measureMs, meter }) {
  const schema = `prozvon_bench_gw_${randomBytes(4).toString('hex')}`;
  let completed = 0;
  let stop = false;
  let next = 0;
  // Each step is an instant port call (a resolved promise) and then the next job of the lead.
  const taskList = Object.fromEntries(
    CHAIN.map((name, step) => [
      name,
      async (payload, helpers) => {
        await Promise.resolve(payload);
        if (step < CHAIN.length - 1) {
          await helpers.addJob(CHAIN[step + 1], payload);
          return;
        }
        completed++;
        if (!stop) await helpers.addJob(CHAIN[0], { lead: next++ });
      },
    ]),
  );
  const utils = await makeWorkerUtils({ connectionString: url, schema, logger });
  await utils.migrate();
  const runner = await run({
    connectionString: url,
    schema,
    logger,
    concurrency: CONCURRENCY,
    maxPoolSize: CONCURRENCY + 2,
    noHandleSignals: true,
    pollInterval: 1_000,
    taskList,
  });
  try {
    for (; next < IN_FLIGHT; next++) await utils.addJob(CHAIN[0], { lead: next });
    await sleep(warmupMs);
    const from = {
      done: completed,
      at: performance.now(),
      cpu: process.cpuUsage(),
      meter: await meter?.read(),
    };
    await sleep(measureMs);
    const done = completed - from.done;
    const used = process.cpuUsage(from.cpu);
    const seconds = (performance.now() - from.at) / 1000;
    const metered = meter ? meter.since(from.meter, await meter.read()) : null;
    return {
      leadsPerSecond: done / seconds,
      cpuMsPerLead: (used.user + used.system) / 1000 / done,
      serverCpuMsPerLead: metered?.serverCpuMs == null ? null : metered.serverCpuMs / done,
    };
  } finally {
    stop = true;
    await runner.stop();
    await utils.release();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}
