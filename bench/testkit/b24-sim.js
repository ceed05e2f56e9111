// b24_sim_requests_per_s: how many REST requests the Bitrix24 simulator answers per second with its
// rate limiter off, so that it is never the bottleneck of another benchmark (target ≥ 5,000/s).
// The load comes from another process (its own CPU), over plain HTTP with keep-alive, 64 requests
// in flight; the simulator answers `crm.lead.get` of a stored lead through a webhook, the real path.
// The load generator is wrk when installed (b24-sim-wrk.js), else a minimal Node client (b24-sim-node-load.js);
// PROZVON_B24_GENERATOR=node|wrk forces one. stderr says which ran. The wall-clock rate depends on
// what else the host runs (and on the client's own CPU on 2 cores), so the simulator's CPU per
// request is printed too: that figure depends on neither.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runWrk, wrkVersion } from './b24-sim-wrk.js';

const QUICK = process.env.PROZVON_BENCH_QUICK === '1';
const SECONDS = QUICK ? 2 : 10;
const IN_FLIGHT = 64;
const forced = process.env.PROZVON_B24_GENERATOR;
if (forced !== undefined && forced !== 'node' && forced !== 'wrk') {
  console.error(`PROZVON_B24_GENERATOR must be node or wrk, not ${forced}`);
  process.exit(1);
}

/** The Node generator in its own process; resolves with what it prints. */
function runNode(base, leadId, ca) {
  const file = fileURLToPath(new URL('b24-sim-node-load.js', import.meta.url));
  const args = [file, base, String(leadId), String(SECONDS), String(IN_FLIGHT), ca];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(output));
      else reject(new Error(`the load generator exited with ${code}`));
    });
  });
}

const { startBitrix24Sim } = await import('@prozvon/testkit');
const sim = await startBitrix24Sim({ rateLimit: false, operatingLimit: false });
const { pathname } = new URL(sim.webhookUrl());
const base = `${sim.httpUrl}${pathname}`;
const added = await fetch(`${base}crm.lead.add`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    fields: { TITLE: 'bench', NAME: 'Анна', PHONE: [{ VALUE: '+79161234567', VALUE_TYPE: 'WORK' }] },
  }),
}).then((response) => response.json());

const wrk = forced === 'node' ? undefined : await wrkVersion();
if (forced === 'wrk' && wrk === undefined) {
  console.error('PROZVON_B24_GENERATOR=wrk, but wrk is not installed');
  process.exit(1);
}
if (wrk !== undefined) {
  console.error(`# generator: ${wrk}, 1 thread, ${IN_FLIGHT} keep-alive connections`);
} else {
  const why = forced === 'node' ? 'PROZVON_B24_GENERATOR=node' : 'wrk is not installed';
  console.error(
    `# generator: a minimal HTTP/1.1 client on node:net/tls, ${IN_FLIGHT} keep-alive connections (${why})`,
  );
}

/** Loads `base` (plain HTTP or HTTPS) and prints its figures under `name`. */
async function measure(name, base) {
  const cpuBefore = process.cpuUsage();
  const result =
    wrk !== undefined
      ? await runWrk(`${base}crm.lead.get`, added.result, SECONDS, IN_FLIGHT)
      : await runNode(base, added.result, sim.ca);
  const cpu = process.cpuUsage(cpuBefore);
  const { done, failed, elapsed } = result;
  if (done === 0) throw new Error(`${name}: no request succeeded (${failed} failed)`);
  console.log(`${name}_requests_per_s ${Math.round(done / elapsed)} req/s`);
  // Independent of what else the host runs: the simulator's own CPU per request, and the rate one
  // core would give at that cost.
  const cpuMicros = (cpu.user + cpu.system) / done;
  console.log(`${name}_cpu_us_per_request ${cpuMicros.toFixed(0)} us`);
  console.log(`${name}_requests_per_cpu_s ${Math.round(1e6 / cpuMicros)} req/s`);
  if (result.cpuMicros !== undefined) {
    console.error(
      `# ${name}: the generator's own CPU, ${(result.cpuMicros / done).toFixed(0)} us per request`,
    );
  }
  if (failed > 0) console.log(`${name}_failed_requests ${failed} requests`);
}

await measure('b24_sim', base);
// The same request over HTTPS, the simulator's `url` and what webhookUrl() hands the adapter: TLS
// adds ~40 % to the simulator's CPU per request (measured 65 → 90 µs on this path).
await measure('b24_sim_https', `${sim.url}${pathname}`);
await sim.close();
