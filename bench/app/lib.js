// Wiring shared by the app benchmarks: the simulators in this process (a Bitrix24 with N portals,
// Voximplant running the shipped scenario with phones that answer, SMS.ru), the app in a child
// process (app-child.js) on a temp SQLite file, installed on every portal through the real install
// flow (the portal's ONAPPINSTALL and install page, the app's OAuth exchange and event binds),
// then each portal's settings saved as a shop owner would: open round the clock, no quiet hours,
// no abuse ceilings (every lead comes from 127.0.0.1 at rates no shop sees).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deriveCallRef, SCENARIO_FILE } from '@prozvon/adapters-voximplant';
import { PATHS } from '@prozvon/b24-app';
import { freeLoopbackPort, startBitrix24Sim, startSmsSim, startVoximplantSim } from '@prozvon/testkit';
import { tempDir } from '../lib/setup.js';

export { figure, percentile, QUICK, sleep } from '../lib/setup.js';

const ALL_DAY = { from: '00:00', to: '24:00' };
const SETTINGS = {
  tenant: {
    shopName: 'Bench shop',
    hours: {
      customerQuietHours: null,
      week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ALL_DAY])),
    },
    abuse: { ipPerHour: null, callsPerDay: null, smsPerDay: null },
  },
  providers: {},
};

/**
 * The V8 flags of the app's process: none, as the app's start command runs it (V8's defaults).
 * PROZVON_BENCH_APP_NODE_FLAGS adds some (space-separated), e.g. `--optimize-for-size
 * --max-semi-space-size=16`, the heap that favours size an operator may choose (bench/README.md).
 */
const APP_NODE_FLAGS = (process.env.PROZVON_BENCH_APP_NODE_FLAGS ?? '').split(' ').filter(Boolean);

/** The app in a child process, asked over IPC (see app-child.js). */
function startChild() {
  const child = fork(fileURLToPath(new URL('app-child.js', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // The RSS bench asks for a collection, to tell live memory from the heap V8 grew.
    execArgv: ['--expose-gc', ...APP_NODE_FLAGS],
  });
  let next = 0;
  const pending = new Map();
  child.on('message', ({ id, ok, value, error }) => {
    const waiter = pending.get(id);
    pending.delete(id);
    if (ok) waiter?.resolve(value);
    else waiter?.reject(new Error(error));
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the app process exited (${code})`));
    pending.clear();
  });
  return {
    pid: child.pid,
    ask: (type, body = {}) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        child.send({ id, type, ...body });
      }),
  };
}

/**
 * Simulators, the app (child process) and `portalCount` portals that installed it. `timeScale`:
 * real ms per virtual ms of a call (0.02 plays a minute of ringing and message in about a second).
 */
export async function startAppBench({ portalCount = 2, timeScale = 0.02, beforeInstall } = {}) {
  const { dir, remove } = tempDir('app');
  const keys = Array.from({ length: portalCount }, (_, i) => `shop${i + 1}`);
  const bitrix24 = await startBitrix24Sim({ portals: keys.map((key) => ({ key })) });
  const voximplant = await startVoximplantSim({
    scenarioSource: readFileSync(SCENARIO_FILE, 'utf8'),
    scenarioName: 'prozvon-callback.js',
    defaultPhone: 'answers',
    timeScale,
  });
  const sms = await startSmsSim();
  const port = await freeLoopbackPort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const b24App = bitrix24.registerApp({
    name: 'Prozvon',
    installUrl: `${publicUrl}${PATHS.install}`,
    handlerUrl: `${publicUrl}${PATHS.app}`,
  });
  const child = startChild();
  await child.ask('start', {
    ca: bitrix24.ca,
    config: {
      clientId: b24App.clientId,
      clientSecret: b24App.clientSecret,
      publicUrl,
      databasePath: `${dir}/app.db`,
      port,
      host: '127.0.0.1',
      oauthHosts: [new URL(bitrix24.url).host],
      trustProxy: false,
    },
    defaults: {
      voximplant: voximplant.account,
      sms: [sms.smsruProvider],
    },
  });

  await beforeInstall?.(child);
  const installStarted = performance.now();
  // A few installs at a time: each is a handful of requests both ways.
  const queue = [...keys];
  await Promise.all(
    Array.from({ length: Math.min(8, keys.length) }, async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        const installed = await bitrix24.installApp(b24App.clientId, { portal: key });
        if (installed.page !== 200) throw new Error(`install on ${key} answered ${installed.page}`);
      }
    }),
  );
  await bitrix24.idle();
  const installMs = performance.now() - installStarted;
  const { portals } = await child.ask('configure', { settings: SETTINGS });
  if (portals.length !== portalCount)
    throw new Error(`${portals.length} of ${portalCount} portals installed`);
  const byMember = new Map(portals.map((p) => [p.memberId, p]));
  const installed = keys.map((key) => ({ key, ...byMember.get(bitrix24.portal(key).memberId) }));

  return {
    bitrix24,
    voximplant,
    app: child,
    url: publicUrl,
    portals: installed,
    installMs,
    /** POSTs a lead to a portal's intake; resolves { status, leadId, at } (at: Date.now() of the answer). */
    async submit(portal, i) {
      const response = await fetch(`${publicUrl}${PATHS.intake.replace(':portalKey', portal.portalKey)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${portal.intakeSecret}` },
        body: JSON.stringify({
          name: `Покупатель ${i}`,
          phone: `+7916${String(i % 10_000_000).padStart(7, '0')}`,
        }),
      });
      const at = Date.now();
      const body = await response.json().catch(() => ({}));
      return { status: response.status, leadId: body.leadId, at };
    },
    /** The call reference Voximplant gets in StartScenarios for a lead's first dial. */
    callRef: (portal, leadId) => deriveCallRef(portal.voiceSecret, `lead:${leadId}:dial:1`),
    /** call reference → the simulator's receipt time, for every StartScenarios so far. */
    dials() {
      const seen = new Map();
      for (const request of voximplant.state.apiRequests) {
        if (request.method !== 'StartScenarios') continue;
        const ref = JSON.parse(request.params.script_custom_data ?? '{}').r;
        if (ref !== undefined && !seen.has(ref)) seen.set(ref, request.at);
      }
      return seen;
    },
    async stop() {
      await child.ask('stop').catch(() => {});
      await Promise.all([bitrix24.close(), voximplant.close(), sms.close()]);
      remove();
    },
  };
}
