import { readFileSync } from 'node:fs';
import { oauthAuthFromInstall } from '@prozvon/adapters-bitrix24';
import { SCENARIO_FILE } from '@prozvon/adapters-voximplant';
import {
  type Bitrix24Sim,
  type PhonePreset,
  type SmsSim,
  startBitrix24Sim,
  startSmsSim,
  startTelegramSim,
  startVoximplantSim,
  TELEGRAM_TEST_CHAT_ID,
  TELEGRAM_TEST_TOKEN,
  type TelegramSim,
  trustTestkitCa,
  type VirtualPhone,
  type VoximplantSim,
} from '@prozvon/testkit';
import type { AdapterSettings } from './settings.js';

/** The scenario a shop uploads to Voximplant; the simulator runs this very file. */
const scenarioSource = readFileSync(SCENARIO_FILE, 'utf8');

export const DEMO_PARTNER = { code: 'PARTNER42', title: 'ООО «Партнёр 42»' } as const;
/** Server secret of the simulated Voximplant account (real shops set PROZVON_SECRET). */
const SIM_SECRET = 'prozvon-demo-secret-not-for-production-0123456789';

export interface SimulatorsOptions {
  /** Behaviour per dialled number (E.164 digits). */
  readonly phones?: Readonly<Record<string, VirtualPhone | PhonePreset>>;
  /** Real ms per virtual ms of a call (ringing, messages); match the engine's clock speed. */
  readonly timeScale?: number;
  /** Real ms before an ended call shows in Voximplant's call history (a lagging history). */
  readonly historyLagMs?: number;
  /** `oauth` (default): an app installed on the simulated portal, so calls are real call entries. */
  readonly crmAuth?: 'oauth' | 'webhook';
}

export interface Simulators {
  readonly bitrix24: Bitrix24Sim;
  readonly voximplant: VoximplantSim;
  readonly sms: SmsSim;
  readonly telegram: TelegramSim;
  /** Adapter settings pointing at the simulators' test accounts. */
  readonly settings: AdapterSettings;
  /** Each simulator's `GET /` page. */
  readonly statePages: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * The testkit's four simulators on loopback, seeded for the shop: a Bitrix24 portal with the
 * partner company PARTNER42 and the app installed, the Voximplant account running the shipped
 * scenario against virtual phones, an SMS.ru account, and the sellers' Telegram chat.
 */
export async function startSimulators(options: SimulatorsOptions = {}): Promise<Simulators> {
  const bitrix24 = await startBitrix24Sim({ portals: [{ key: 'shop' }] });
  trustTestkitCa(bitrix24.ca);
  bitrix24.portal().seedCompany({ TITLE: DEMO_PARTNER.title, UF_CRM_PROZVON_REF: DEMO_PARTNER.code });
  const voximplant = await startVoximplantSim({
    scenarioSource,
    scenarioName: 'prozvon-callback.js',
    phones: options.phones ?? {},
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    ...(options.historyLagMs === undefined ? {} : { historyLagMs: options.historyLagMs }),
  });
  const sms = await startSmsSim();
  const telegram = await startTelegramSim();

  const crm: AdapterSettings['crm'] =
    options.crmAuth === 'webhook'
      ? { auth: { type: 'webhook', url: bitrix24.webhookUrl() } }
      : { auth: await installApp(bitrix24) };
  return {
    bitrix24,
    voximplant,
    sms,
    telegram,
    settings: {
      crm,
      voximplant: { ...voximplant.account, secret: SIM_SECRET },
      sms: [sms.smsruProvider],
      telegram: { token: TELEGRAM_TEST_TOKEN, chatId: TELEGRAM_TEST_CHAT_ID, apiRoot: telegram.url },
    },
    statePages: {
      'Bitrix24 (leads, calls, comments)': `${bitrix24.httpUrl}/`,
      'Voximplant (sessions, calls)': `${voximplant.url}/`,
      'SMS gateways (texts sent)': `${sms.url}/`,
      'Telegram (sellers’ chat)': `${telegram.url}/`,
    },
    async close() {
      await Promise.all([bitrix24.close(), voximplant.close(), sms.close(), telegram.close()]);
    },
  };
}

/** What a portal administrator's install gives the app: its OAuth tokens (scopes crm, telephony). */
async function installApp(
  sim: Bitrix24Sim,
): Promise<Extract<AdapterSettings['crm']['auth'], { type: 'oauth' }>> {
  const app = sim.registerApp({ name: 'Prozvon', scope: ['crm', 'telephony', 'user'] });
  const { auth } = await sim.installApp(app.clientId);
  sim.finishInstall(app.clientId);
  return oauthAuthFromInstall(auth, app);
}
