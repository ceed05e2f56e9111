// `npm run bench`: builds every package, then runs each benchmark below in a process of its own
// (so one's memory and timers never touch another's figures) and prints what they print, one
// figure a line: `name value unit`. Nothing is asserted; targets are in the SDK's engine issue.
//
//   PROZVON_BENCH=herd,wake-lateness   only these benchmarks (names as below)
//   PROZVON_BENCH_QUICK=1              short runs and small data, to smoke-test in well under a minute
//
// What the host was doing goes to stderr (load average before each benchmark): the figures are
// wall-clock ones, and another process's CPU use shows up in them.
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const BENCHMARKS = [
  { name: 'intake-to-dial', file: 'engine/intake-to-dial.js' },
  { name: 'throughput', file: 'engine/throughput.js' },
  { name: 'pg-throughput', file: 'engine/pg-throughput.js' },
  { name: 'wake-lateness', file: 'engine/wake-lateness.js' },
  { name: 'pg-wake-lateness', file: 'engine/pg-wake-lateness.js' },
  { name: 'herd', file: 'engine/herd.js' },
  { name: 'pg-herd', file: 'engine/pg-herd.js' },
  { name: 'tenants-fairness', file: 'engine/tenants-fairness.js' },
  { name: 'dashboard', file: 'store/dashboard.js' },
  { name: 'pg-dashboard', file: 'store/pg-dashboard.js' },
  { name: 'e2e', file: 'e2e/intake-to-dial.js' },
  { name: 'b24-sim', file: 'testkit/b24-sim.js' },
  { name: 'app-intake-to-dial', file: 'app/intake-to-dial.js' },
  { name: 'app-burst', file: 'app/burst.js' },
  { name: 'app-rss', file: 'app/rss-portals.js' },
];

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `Node ${process.versions.node} has no node:sqlite as we use it: run \`npm run bench\` (Node 24).`,
  );
  process.exit(1);
}

const { env } = process;
const wanted = env.PROZVON_BENCH?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = wanted?.filter((name) => !BENCHMARKS.some((b) => b.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(
    `unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
  );
  process.exit(1);
}
const selected = BENCHMARKS.filter((b) => !wanted || wanted.includes(b.name));

const quick = env.PROZVON_BENCH_QUICK === '1';
console.error(
  `# Node ${process.versions.node}, ${availableParallelism()} CPUs${quick ? ', quick mode (PROZVON_BENCH_QUICK=1)' : ''}`,
);

let failed = 0;
for (const benchmark of selected) {
  const load = loadavg().map((n) => n.toFixed(1));
  console.error(`# ${benchmark.name} (load average ${load.join(' ')})`);
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(benchmark.file, import.meta.url))], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (exitCode, signal) => resolve(signal ? 1 : (exitCode ?? 1)));
    child.on('error', () => resolve(1));
  });
  if (code !== 0) {
    failed++;
    console.error(`# ${benchmark.name} failed (exit ${code})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
