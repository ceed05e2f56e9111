// One of the three engine processes of pg_herd_drain_s (pg-herd.js): an engine on the shared
// schema whose voice double takes VOICE_DELAY_MS per call. It prints how many calls reached it and
// when the last one did, as a line of JSON every 100 ms, until SIGTERM stops it (the last line
// also lists every dial key it received).
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
/** Every dial key received, reported once at the end: the parent looks for one used twice. */
const keys = [];
let inFlight = 0;
let most = 0;
ports.voice.onReceive = (request) => {
  keys.push(request.key);
  dials++;
  last = Date.now();
  most = Math.max(most, ++inFlight);
};
ports.voice.onStart = () => inFlight--;
const cpu = process.cpuUsage();
const report = (final = false) => {
  const used = process.cpuUsage(cpu);
  const figures = { dials, last, most, cpuMs: (used.user + used.system) / 1000, ...(final ? { keys } : {}) };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
};
await engine.start();
process.stdout.write('ready\n');
const timer = setInterval(() => report(), 100);
process.once('SIGTERM', async () => {
  clearInterval(timer);
  await engine.stop();
  await store.close();
  report(true);
  process.exit(0);
});
