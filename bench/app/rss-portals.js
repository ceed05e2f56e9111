// app_rss_mb_1000_portals: the app process's RSS with 1,000 portals installed through the real
// install flow (the simulator's ONAPPINSTALL and install page, the app's token exchange and binds)
// and one lead in flight on each: a lead POSTed to every portal's intake, RSS sampled every 250 ms
// from the first POST until every lead was dialled and the calls had a few seconds to play (calls
// at a tenth of real time, so they are still ringing or talking when sampled). The simulators run
// in the bench process, so none of their memory is counted.
import { writeFileSync } from 'node:fs';
import { figure, QUICK, sleep, startAppBench } from './lib.js';

// PROZVON_BENCH_PORTALS: another count, for a look at how memory grows with portals.
const PORTALS = Number(process.env.PROZVON_BENCH_PORTALS ?? (QUICK ? 50 : 1_000));
const MB = 1024 * 1024;

// PROZVON_BENCH_HEAP_PROFILE=<dir>: allocations sampled from the start to the end (garbage
// included), written as app.heapprofile (Chrome DevTools reads it; so does heap-profile-summary.js).
const profileDir = process.env.PROZVON_BENCH_HEAP_PROFILE;
const bench = await startAppBench({
  portalCount: PORTALS,
  timeScale: 0.1,
  ...(profileDir ? { beforeInstall: (app) => app.ask('profileStart') } : {}),
});
figure('app_install_ms_per_portal', bench.installMs / PORTALS, 'ms');
const installed = await bench.app.ask('memory');
figure('app_rss_mb_installed', installed.rss / MB, 'MB');
console.error(`# handles once installed: ${JSON.stringify(installed.resources)}`);
if (process.env.PROZVON_BENCH_HEAP_SNAPSHOT) {
  const path = `${process.env.PROZVON_BENCH_HEAP_SNAPSHOT}/app-installed.heapsnapshot`;
  console.error(`# heap snapshot: ${(await bench.app.ask('snapshot', { path })).path}`);
}

let peak = 0;
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    peak = Math.max(peak, (await bench.app.ask('memory')).rss);
    await sleep(250);
  }
})();

const refs = [];
const queue = bench.portals.map((portal, i) => ({ portal, i }));
await Promise.all(
  Array.from({ length: 32 }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const { status, leadId } = await bench.submit(next.portal, next.i);
      if (status === 202) refs.push(bench.callRef(next.portal, leadId));
    }
  }),
);
const deadline = Date.now() + 120_000;
while (Date.now() < deadline) {
  const dialled = bench.dials();
  if (refs.every((ref) => dialled.has(ref))) break;
  await sleep(250);
}
const dialled = bench.dials();
await sleep(3_000);
const inFlight = (await bench.app.ask('stats')).unfinished;
sampling = false;
await sampler;
const end = await bench.app.ask('memory');
const live = await bench.app.ask('memory', { collect: true });
if (profileDir) {
  const { profile } = await bench.app.ask('profileStop');
  writeFileSync(`${profileDir}/app.heapprofile`, JSON.stringify(profile));
  console.error(`# heap profile: ${profileDir}/app.heapprofile`);
}
// PROZVON_BENCH_HEAP_SNAPSHOT=<dir>: the app's heap written there (after a collection) once
// installed and at the end, to see what holds the memory (Chrome DevTools' Memory tab reads them).
const snapshotDir = process.env.PROZVON_BENCH_HEAP_SNAPSHOT;
if (snapshotDir) {
  const { path } = await bench.app.ask('snapshot', { path: `${snapshotDir}/app-end.heapsnapshot` });
  console.error(`# heap snapshot: ${path}`);
}

figure(`app_rss_mb_${PORTALS}_portals`, peak / MB, 'MB');
figure('app_rss_mb_after', end.rss / MB, 'MB');
figure('app_heap_mb_after', end.heapUsed / MB, 'MB');
// What is live once collected, and the heap V8 keeps: RSS far above the live heap is garbage
// churned while installing and calling, not state held per portal.
figure('app_heap_live_mb_after_gc', live.heapUsed / MB, 'MB');
figure('app_heap_total_mb_after_gc', live.heapTotal / MB, 'MB');
figure('app_rss_peak_mb', end.peakRss / MB, 'MB');
// The app's CPU for installing and calling (start included): what a heap that favours size costs.
figure('app_rss_cpu_s_installed', installed.cpuMs / 1000, 's');
figure('app_rss_cpu_s_leads', (end.cpuMs - installed.cpuMs) / 1000, 's');
console.error(`# handles at the end: ${JSON.stringify(live.resources)}`);
console.error(`# mappings at the end (kB): ${JSON.stringify(live.mappings)}`);
// Where the RSS is beside the JS heap: Buffers and other memory V8 is told of, then each space.
figure('app_external_mb_after_gc', live.external / MB, 'MB');
console.error(
  `# heap spaces after GC (size/used MB): ${Object.entries(live.spaces)
    .map(([name, [size, used]]) => `${name} ${(size / MB).toFixed(1)}/${(used / MB).toFixed(1)}`)
    .join(', ')}`,
);
figure('app_rss_leads_dialled', refs.filter((ref) => dialled.has(ref)).length, 'leads');
figure('app_rss_leads_in_flight_at_end', inFlight, 'leads');
await bench.stop();
