import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SCENARIO_FILE } from '@prozvon/adapters-voximplant';
import { createLogger, type Env } from '@prozvon/sdk';
import {
  freeLoopbackPort,
  type PhonePreset,
  startBitrix24Sim,
  startSmsSim,
  startTelegramSim,
  startVoximplantSim,
  TELEGRAM_TEST_CHAT_ID,
  TELEGRAM_TEST_TOKEN,
  trustTestkitCa,
} from '@prozvon/testkit';
import { type RunningApp, startApp } from '../app.js';
import { parseMasterKey, SecretBox } from '../portals/secrets.js';
import { PATHS } from '../server.js';
import { SECRET_NAMES } from '../settings/portal-providers.js';

/** The two simulated portals, with fixed ids so a second start finds the portals it installed. */
const DEMO_PORTALS = [
  { key: 'tea-shop', memberId: 'demo0000000000000000000000000001', name: 'Чайная лавка' },
  { key: 'watch-shop', memberId: 'demo0000000000000000000000000002', name: 'Часы и время' },
] as const;
const DEMO_APP = {
  clientId: 'local.prozvon-demo',
  clientSecret: 'prozvon-demo-client-secret-not-for-production',
};

export interface DemoPortal {
  readonly memberId: string;
  readonly portalKey: string;
  readonly intakeUrl: string;
  readonly intakeSecret: string;
  readonly corezoidUrl: string;
  /**
   * The app's pages as a portal user opens them: the simulator's portal page (HTTPS with the
   * testkit's own certificate) framing the page and answering its B24Frame messages.
   */
  readonly pages: { readonly settings: string; readonly leadTab: string; readonly dashboard: string };
}

export interface AppDemo {
  readonly app: RunningApp;
  readonly url: string;
  readonly portals: readonly DemoPortal[];
  stop(): Promise<void>;
}

/**
 * `npm start`'s Bitrix24 half: the app on `<dir>/app.db` against the testkit's simulators — a
 * Bitrix24 with two portals that install the app through its real install page, Voximplant
 * running the shipped scenario, SMS.ru and Telegram — then `<dir>/demo.json` with each portal's
 * intake URL and secret, and a lead from each portal's own web form, called back like any other.
 */
export async function runAppDemo(
  env: Env,
  phones: Readonly<Record<string, PhonePreset>>,
  // biome-ignore lint/suspicious/noConsole: the demo prints its URLs for a person at a terminal
  print: (line: string) => void = console.log,
): Promise<AppDemo> {
  const dir = env.PROZVON_DATA_DIR ?? join(process.cwd(), '.prozvon');
  mkdirSync(dir, { recursive: true });
  const bitrix24 = await startBitrix24Sim({
    portals: DEMO_PORTALS.map(({ key, memberId }) => ({ key, memberId })),
  });
  trustTestkitCa(bitrix24.ca);
  const voximplant = await startVoximplantSim({
    scenarioSource: readFileSync(SCENARIO_FILE, 'utf8'),
    scenarioName: 'prozvon-callback.js',
    phones,
    timeScale: 1 / 20,
  });
  const sms = await startSmsSim();
  const telegram = await startTelegramSim();

  // 3100 unless PROZVON_APP_PORT says otherwise; 0, or 3100 taken, picks any free port (printed).
  const wanted = Number(env.PROZVON_APP_PORT ?? 3100);
  const port = wanted !== 0 && (await portIsFree(wanted)) ? wanted : await freeLoopbackPort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const b24App = bitrix24.registerApp({
    ...DEMO_APP,
    name: 'Prozvon',
    installUrl: `${publicUrl}${PATHS.install}`,
    handlerUrl: `${publicUrl}${PATHS.app}`,
  });
  const app = await startApp({
    config: {
      clientId: b24App.clientId,
      clientSecret: b24App.clientSecret,
      publicUrl,
      databasePath: join(dir, 'app.db'),
      port,
      host: '127.0.0.1',
      oauthHosts: [new URL(bitrix24.url).host],
      trustProxy: false,
    },
    secrets: new SecretBox(parseMasterKey(demoMasterKey(dir))),
    defaults: {
      voximplant: voximplant.account,
      sms: [sms.smsruProvider],
    },
    logger: createLogger({ level: env.PROZVON_LOG_LEVEL ?? 'warn' }),
  });

  const portals: Omit<DemoPortal, 'pages'>[] = [];
  for (const seed of DEMO_PORTALS) {
    const installed = await bitrix24.installApp(b24App.clientId, { portal: seed.key });
    if (installed.page !== 200) throw new Error(`the demo install on ${seed.key} answered ${installed.page}`);
    const portal = await app.portals.getByMemberId(seed.memberId);
    if (portal === null) throw new Error(`the demo portal ${seed.key} was not stored`);
    // What the shop owner fills in on the settings page: the shop, round-the-clock hours for the
    // demo, the sellers' Telegram chat.
    await app.portals.updateSettings(
      seed.memberId,
      {
        settings: {
          tenant: {
            shopName: seed.name,
            hours: { customerQuietHours: null, week: allWeek() },
            notify: ['newLead', 'crmFailed', 'manual', 'callOutcome'],
          },
          providers: { telegram: { chatId: TELEGRAM_TEST_CHAT_ID, apiRoot: telegram.url } },
        },
        secrets: { [SECRET_NAMES.telegramToken]: TELEGRAM_TEST_TOKEN },
      },
      { by: 'demo', at: Date.now() },
    );
    app.tenants.forget(seed.memberId);
    const secret = portal.secrets[SECRET_NAMES.intake] ?? '';
    portals.push({
      memberId: seed.memberId,
      portalKey: portal.portalKey,
      intakeUrl: `${publicUrl}${PATHS.intake.replace(':portalKey', portal.portalKey)}`,
      intakeSecret: secret,
      corezoidUrl: `${publicUrl}${PATHS.corezoid.replace(':portalKey', portal.portalKey).replace(':secret', secret)}`,
    });
  }

  // A customer fills in each portal's own Bitrix24 web form: ONCRMLEADADD, and Prozvon calls.
  const formLeads = [
    bitrix24.addFormLead(
      { NAME: 'Анна', PHONE: [{ VALUE: '+7 916 000-00-01', VALUE_TYPE: 'WORK' }], SOURCE_ID: 'WEBFORM' },
      DEMO_PORTALS[0].key,
    ),
    bitrix24.addFormLead(
      { NAME: 'Борис', PHONE: [{ VALUE: '+7 916 000-00-02', VALUE_TYPE: 'WORK' }], SOURCE_ID: 'WEBFORM' },
      DEMO_PORTALS[1].key,
    ),
  ];
  const withPages: DemoPortal[] = portals.map((portal, i) => {
    const key = DEMO_PORTALS[i]?.key ?? '';
    const frame = (
      path: string,
      extra: { placement?: string; placementOptions?: Record<string, unknown> } = {},
    ) => bitrix24.frameUrl(b24App.clientId, { portal: key, url: `${publicUrl}${path}`, ...extra });
    return {
      ...portal,
      pages: {
        settings: frame(PATHS.app),
        leadTab: frame(PATHS.leadTab, {
          placement: 'CRM_LEAD_DETAIL_TAB',
          placementOptions: { ID: String(formLeads[i]) },
        }),
        dashboard: frame(PATHS.dashboard),
      },
    };
  });
  writeFileSync(
    join(dir, 'demo.json'),
    `${JSON.stringify({ app: publicUrl, portals: withPages }, null, 2)}\n`,
  );

  print('');
  print(
    `Prozvon Bitrix24 app at ${publicUrl} — two simulated portals installed it (${join(dir, 'demo.json')})`,
  );
  for (const portal of withPages) {
    print(`  ${portal.memberId}: intake ${portal.intakeUrl}`);
    print(
      `    curl -H 'Authorization: Bearer ${portal.intakeSecret}' -H 'content-type: application/json' \\`,
    );
    print(`      -d '{"name":"Вера","phone":"+7 916 000-00-01"}' ${portal.intakeUrl}`);
    print(`    Corezoid-compatible URL: ${portal.corezoidUrl}`);
    print(`    Pages in the portal (accept the simulator's self-signed certificate once):`);
    print(`      settings ${portal.pages.settings}`);
    print(`      lead tab ${portal.pages.leadTab}`);
    print(`      dashboard ${portal.pages.dashboard}`);
  }
  print(`  Bitrix24 simulator (both portals' leads, calls, events): ${bitrix24.httpUrl}/`);
  print(`  Voximplant simulator: ${voximplant.url}/   Telegram: ${telegram.url}/   SMS: ${sms.url}/`);
  print('');

  let stopping: Promise<void> | undefined;
  return {
    app,
    url: publicUrl,
    portals: withPages,
    stop() {
      stopping ??= (async () => {
        await app.stop();
        await Promise.all([bitrix24.close(), voximplant.close(), sms.close(), telegram.close()]);
      })();
      return stopping;
    },
  };
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function allWeek() {
  const day = { from: '00:00', to: '24:00' };
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day };
}

/**
 * The demo's master key, made once and kept beside its database (a real install reads
 * PROZVON_MASTER_KEY from its environment and never writes it to disk).
 */
function demoMasterKey(dir: string): string {
  const file = join(dir, 'master.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}
