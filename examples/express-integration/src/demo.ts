import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type StateChange } from '@prozvon/sdk';
import { SqliteLeadStore } from '@prozvon/sdk/stores/sqlite';
import { AcceleratedClock } from '@prozvon/sdk/testing';
import { DEMO_PHONES, demoPhonePresets, UNUSABLE_DEMO_PHONE } from './demo-numbers.js';
import { liveLines } from './live-lines.js';
import { type ShopOptions, startShop } from './shop.js';
import { DEMO_PARTNER, startSimulators } from './simulators.js';

type Env = Readonly<Record<string, string | undefined>>;

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const moscow = (ms: number) =>
  new Date(ms).toLocaleString('ru-RU', { timeZone: 'Europe/Moscow', dateStyle: 'short', timeStyle: 'short' });

/**
 * `npm start`: the shop, the engine on `<dir>/shop.db` and the four simulators, on an accelerated
 * clock (a minute of shop time per second by default) so a retry comes 30 seconds later and a
 * night passes in minutes. The simulated time is kept in `<dir>/clock.json`, so a second start
 * carries on where the first stopped and the leads it left wake when they should.
 */
export async function runDemo(
  env: Env,
  print: (line: string) => void = console.log,
): Promise<() => Promise<void>> {
  const dir = env.PROZVON_DATA_DIR ?? join(process.cwd(), '.prozvon');
  mkdirSync(dir, { recursive: true });
  const speed = Number(env.PROZVON_DEMO_SPEED ?? 60);
  if (!(speed >= 1 && speed <= 3600)) throw new Error('PROZVON_DEMO_SPEED must be between 1 and 3600');
  const clockFile = join(dir, 'clock.json');
  const clock = new AcceleratedClock(speed, savedTime(clockFile) ?? firstMorning());
  const dbPath = join(dir, 'shop.db');

  const sims = await startSimulators({
    phones: demoPhonePresets(),
    timeScale: 1 / speed,
  });
  const store = new SqliteLeadStore(dbPath);
  const shopOptions: ShopOptions = {
    settings: sims.settings,
    store,
    clock,
    logger: createLogger({ level: env.PROZVON_LOG_LEVEL ?? 'warn' }),
    config: {
      shopName: 'Чайная лавка',
      notify: ['newLead', 'crmFailed', 'manual', 'callOutcome'],
      // A call's own HTTP round trips take real time, which the fast clock multiplies: give its
      // result at least ten real seconds (10 shop minutes at 60×) before call history is asked.
      callbackTimeoutMinutes: Math.min(60, Math.max(5, Math.ceil(speed / 6))),
    },
    app: { demoNumbers: [...DEMO_PHONES, UNUSABLE_DEMO_PHONE] },
    // The simulator's call history does not lag: a few real seconds of grace are plenty.
    voice: { historyGraceMs: 5_000 },
    // Leases and port deadlines run on the shop's clock: at 300× the defaults (30 s, 20 s) were
    // 100 and 67 real ms, and a loaded machine's HTTP round trip to a simulator passed them (a
    // CI run saw every call "transient" and a dead number end as no answer). 6 and 4 real seconds.
    engine: { leaseMs: 6_000 * speed, callDeadlineMs: 4_000 * speed },
  };
  // Port 3000 unless PORT says otherwise; when 3000 is taken, any free port (the URL is printed).
  const shop = await startShop({ ...shopOptions, port: Number(env.PORT ?? 3000) }).catch((error: unknown) => {
    if (env.PORT !== undefined || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startShop({ ...shopOptions, port: 0 });
  });

  // The "answers the retry" phone: busy with something else the first time, free the next.
  const retryPhones = new Set(DEMO_PHONES.filter((p) => p.answersRetry).map((p) => p.digits));
  const phoneOf = async (leadId: string) => {
    const lead = await shop.prozvon.getLead(leadId);
    const context = (lead?.snapshot as { context?: { phone?: { e164?: string } } } | undefined)?.context;
    return context?.phone?.e164?.replace(/\D/g, '');
  };
  // Real seconds since submit for leads of this run (the speed to lead); shop time for the waits.
  const submittedReal = new Map<string, number>();
  const shopClock = (ms: number) =>
    new Date(ms).toLocaleTimeString('ru-RU', { timeZone: 'Europe/Moscow', timeStyle: 'short' });
  shop.prozvon.engine.onStateChange((change: StateChange) => {
    if (change.from === null) submittedReal.set(change.leadId, Date.now());
    const since = submittedReal.get(change.leadId);
    const real = since === undefined ? undefined : Date.now() - since;
    for (const line of liveLines(change, real, shopClock(change.at))) print(line);
    const call = change.to.callState;
    if (call === 'call.nodial' || call === 'call.answered')
      void phoneOf(change.leadId).then((digits) => {
        if (digits && retryPhones.has(digits))
          sims.voximplant.phone(digits, call === 'call.nodial' ? 'answers' : 'no-answer');
      });
  });

  const stats = await store.stats();
  print('');
  print(bold(`Prozvon demo — shop open at ${shop.url}`));
  print(`  referral link (partner ${DEMO_PARTNER.code}): ${shop.url}/?utm_source=${DEMO_PARTNER.code}`);
  print(`  OpenAPI of the order route:  ${shop.url}/openapi.json`);
  print(
    `  engine: ${dbPath} (${stats.unfinished} unfinished ${stats.unfinished === 1 ? 'lead' : 'leads'} resumed)`,
  );
  print(`  shop time: ${moscow(clock.now())} Moscow, ${speed}× real time (hours 09:00–21:00)`);
  print('');
  print(bold('Simulators (state pages):'));
  for (const [name, url] of Object.entries(sims.statePages)) print(`  ${name.padEnd(36)} ${url}`);
  print('');
  print(bold('Demo numbers to type into the form:'));
  for (const p of [...DEMO_PHONES, UNUSABLE_DEMO_PHONE]) print(`  ${p.phone.padEnd(22)} ${p.behaviour}`);
  print('');
  print('Every state change prints a line: real time since submit, and the shop clock.');
  print('Ctrl-C stops; a second `npm start` resumes.');
  print('');

  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      await shop.stop();
      await store.close();
      await sims.close();
      writeFileSync(clockFile, JSON.stringify({ simulatedNow: clock.now() }));
      print(`Stopped at ${moscow(clock.now())} Moscow (shop time). The leads are in ${dbPath}.`);
    })();
    return stopping;
  };
}

function savedTime(file: string): number | undefined {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { simulatedNow?: unknown };
    return typeof saved.simulatedNow === 'number' ? saved.simulatedNow : undefined;
  } catch {
    return undefined;
  }
}

/** Today at 10:00 in Moscow (UTC+3, no DST): the shop has just opened. */
function firstMorning(): number {
  const today = new Date().toISOString().slice(0, 10);
  return Date.parse(`${today}T07:00:00Z`);
}
