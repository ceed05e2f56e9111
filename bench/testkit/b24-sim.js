// b24_sim_requests_per_s: how many REST requests the Bitrix24 simulator answers per second with its
// rate limiter off, so that it is never the bottleneck of another benchmark (target ≥ 5,000/s).
// The load comes from a second process (its own CPU), over plain HTTP with keep-alive, 64 requests
// in flight; the simulator answers `crm.lead.get` of a stored lead through a webhook, the real path.
// The wall-clock rate depends on what else the host runs, so the simulator's CPU per request is
// printed too.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const QUICK = process.env.PROZVON_BENCH_QUICK === '1';
const SECONDS = QUICK ? 2 : 10;
const IN_FLIGHT = 64;

if (process.argv[2] === 'load') {
  const [, , , base, leadId] = process.argv;
  const url = `${base}crm.lead.get`;
  const body = JSON.stringify({ id: Number(leadId) });
  let done = 0;
  let failed = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const json = await response.json();
      if (response.ok && json.result) done++;
      else failed++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const elapsed = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ done, failed, elapsed }));
} else {
  const { startBitrix24Sim } = await import('@prozvon/testkit');
  const sim = await startBitrix24Sim({ rateLimit: false, operatingLimit: false });
  const hook = sim.webhookUrl();
  const { pathname } = new URL(hook);
  const base = `${sim.httpUrl}${pathname}`;
  const added = await fetch(`${base}crm.lead.add`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      fields: { TITLE: 'bench', NAME: 'Анна', PHONE: [{ VALUE: '+79161234567', VALUE_TYPE: 'WORK' }] },
    }),
  }).then((response) => response.json());
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), 'load', base, String(added.result)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const cpuBefore = process.cpuUsage();
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  await new Promise((resolve) => child.on('exit', resolve));
  const cpu = process.cpuUsage(cpuBefore);
  const { done, failed, elapsed } = JSON.parse(output);
  console.log(`b24_sim_requests_per_s ${Math.round(done / elapsed)} req/s`);
  // Independent of what else the host runs: the simulator's own CPU per request, and the rate one
  // core would give at that cost.
  const cpuMicros = (cpu.user + cpu.system) / done;
  console.log(`b24_sim_cpu_us_per_request ${cpuMicros.toFixed(0)} us`);
  console.log(`b24_sim_requests_per_cpu_s ${Math.round(1e6 / cpuMicros)} req/s`);
  if (failed > 0) console.log(`b24_sim_failed_requests ${failed} requests`);
  await sim.close();
}
