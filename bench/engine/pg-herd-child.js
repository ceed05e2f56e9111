// One of the three engine processes of pg_herd_drain_s (pg-herd.js): an engine on the shared
// schema whose voice double takes VOICE_DELAY_MS per call. It prints how many calls reached it and
// when the last one did, as a line of JSON every 100 ms, until SIGTERM stops it.
import { SystemClock } from '@prozvon/sdk';
import { PostgresLeadStore } from '@prozvon/store-postgres';
import { alwaysOpenConfig, doubles, engineOn } from '../lib/setup.js';

const { url, schema, index, voiceDelayMs } = JSON.parse(process.argv[2]);
const store = await PostgresLeadStore.open({ url, schema });
const ports = doubles({ voiceDelayMs });
const engine = engineOn(store, new SystemClock(), ports, alwaysOpenConfig(), {
  owner: `herd-${index}-${process.pid}`,
});
let dials = 0;
let last = 0;
let inFlight = 0;
let most = 0;
ports.voice.onReceive = () => {
  dials++;
  last = Date.now();
  most = Math.max(most, ++inFlight);
};
ports.voice.onStart = () => inFlight--;
const cpu = process.cpuUsage();
const report = () => {
  const used = process.cpuUsage(cpu);
  process.stdout.write(`${JSON.stringify({ dials, last, most, cpuMs: (used.user + used.system) / 1000 })}\n`);
};
await engine.start();
process.stdout.write('ready\n');
const timer = setInterval(report, 100);
process.once('SIGTERM', async () => {
  clearInterval(timer);
  await engine.stop();
  await store.close();
  report();
  process.exit(0);
});
