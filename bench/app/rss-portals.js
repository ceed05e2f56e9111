// app_rss_mb_1000_portals: the app process's RSS with 1,000 portals installed through the real
// install flow (the simulator's ONAPPINSTALL and install page, the app's token exchange and binds)
// and one lead in flight on each: a lead POSTed to every portal's intake, RSS sampled every 250 ms
// from the first POST until every lead was dialled and the calls had a few seconds to play (calls
// at a tenth of real time, so they are still ringing or talking when sampled). The simulators run
// in the bench process, so none of their memory is counted.
import { figure, QUICK, sleep, startAppBench } from './lib.js';

const PORTALS = QUICK ? 50 : 1_000;
const MB = 1024 * 1024;

const bench = await startAppBench({ portalCount: PORTALS, timeScale: 0.1 });
figure('app_install_ms_per_portal', bench.installMs / PORTALS, 'ms');
const installed = await bench.app.ask('memory');
figure('app_rss_mb_installed', installed.rss / MB, 'MB');

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

figure(`app_rss_mb_${PORTALS}_portals`, peak / MB, 'MB');
figure('app_rss_mb_after', end.rss / MB, 'MB');
figure('app_heap_mb_after', end.heapUsed / MB, 'MB');
// What is live once collected, and the heap V8 keeps: RSS far above the live heap is garbage
// churned while installing and calling, not state held per portal.
figure('app_heap_live_mb_after_gc', live.heapUsed / MB, 'MB');
figure('app_heap_total_mb_after_gc', live.heapTotal / MB, 'MB');
figure('app_rss_peak_mb', end.peakRss / MB, 'MB');
figure('app_rss_leads_dialled', refs.filter((ref) => dialled.has(ref)).length, 'leads');
figure('app_rss_leads_in_flight_at_end', inFlight, 'leads');
await bench.stop();
