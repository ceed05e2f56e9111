// Micro-benchmark of nextCallWindow: how long a lead that has to wait costs the lead machine.
//
//   npm run build -w @prozvon/sdk && ./node_modules/.bin/node bench/hours.js [--leads N] [module]
//
// `module` defaults to '@prozvon/sdk' (the build in packages/sdk/dist); any module exporting
// nextCallWindow and workingHoursSchema can be given instead, to compare two builds.
// Plain JS on purpose: it runs the built code, as the engine does.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { leads: { type: 'string', default: '10000' } },
  allowPositionals: true,
});
const target = positionals[0] ?? '@prozvon/sdk';
const specifier = target.startsWith('.') || isAbsolute(target) ? pathToFileURL(resolve(target)).href : target;
const { nextCallWindow, workingHoursSchema } = await import(specifier);
const leads = Number(values.leads);

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const moscow = workingHoursSchema.parse({});

// A deterministic pseudo-random sequence, so every run asks the same questions.
let seed = 20261125;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = (items) => items[Math.floor(random() * items.length)];

/** Night instants in Moscow (21:00–09:00) of the `nights` nights from 2026-11-25, in time order. */
function nightLeads(count, nights) {
  const first = Date.UTC(2026, 10, 25, 18); // 21:00 Moscow
  return Array.from(
    { length: count },
    () => first + Math.floor(random() * nights) * DAY_MS + random() * 12 * HOUR_MS,
  )
    .sort((a, b) => a - b)
    .map((ms) => new Date(Math.floor(ms)));
}

/** Instants anywhere in 1995–2045: almost every call needs days no earlier call looked up. */
function scatteredLeads(count) {
  const from = Date.UTC(1995, 0, 1);
  const span = Date.UTC(2045, 0, 1) - from;
  return Array.from({ length: count }, () => new Date(from + Math.floor(random() * span)));
}

const RUSSIA = [
  'Europe/Kaliningrad',
  'Europe/Moscow',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Omsk',
  'Asia/Novosibirsk',
  'Asia/Krasnoyarsk',
  'Asia/Irkutsk',
  'Asia/Yakutsk',
  'Asia/Vladivostok',
  'Asia/Magadan',
  'Asia/Kamchatka',
];

function run(name, instants, customerOf) {
  const customers = instants.map(customerOf);
  const times = new Float64Array(instants.length);
  const started = performance.now();
  for (let i = 0; i < instants.length; i++) {
    const before = performance.now();
    nextCallWindow(instants[i], moscow, customers[i]);
    times[i] = performance.now() - before;
  }
  const total = performance.now() - started;
  times.sort();
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))] * 1000;
  const line = [
    name.padEnd(48),
    `p50 ${at(0.5).toFixed(1).padStart(8)} µs`,
    `p99 ${at(0.99).toFixed(1).padStart(8)} µs`,
    `max ${at(1).toFixed(0).padStart(7)} µs`,
    `${Math.round(instants.length / (total / 1000))
      .toString()
      .padStart(7)} leads/s`,
    `total ${(total / 1000).toFixed(2)} s`,
  ];
  console.log(line.join('  '));
}

console.log(`nextCallWindow, ${leads} leads per case, Node ${process.version}, ${target}`);
run('Moscow shop, night leads of one night', nightLeads(leads, 1), () => undefined);
run('Moscow shop + Vladivostok customer', nightLeads(leads, 1), () => 'Asia/Vladivostok');
run('Moscow shop + Berlin customer (DST)', nightLeads(leads, 1), () => 'Europe/Berlin');
run('Moscow shop + customers all over Russia', nightLeads(leads, 7), () => pick(RUSSIA));
run('Moscow shop + any zone, instants over 50 years', scatteredLeads(leads), () =>
  pick(Intl.supportedValuesOf('timeZone')),
);
