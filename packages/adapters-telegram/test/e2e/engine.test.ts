import {
  AuthError,
  createLogger,
  LeadEngine,
  type Logger,
  type StartCallRequest,
  StaticTenants,
  silentLogger,
  type TenantConfigInput,
  tenantConfigSchema,
} from '@prozvon/sdk';
import {
  MemoryLeadStore,
  RecordingCrm,
  RecordingSms,
  RecordingVoice,
  SimulatedClock,
} from '@prozvon/sdk/testing';
import {
  startTelegramSim,
  TELEGRAM_TEST_CHAT_ID,
  TELEGRAM_TEST_GROUP_ID,
  TELEGRAM_TEST_TOKEN,
  type TelegramSim,
  type TelegramSimOptions,
} from '@prozvon/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramNotifier, type TelegramNotifierOptions } from '../../src/notifier.js';

// The SDK's engine with this package as its NotifierPort, against the Telegram simulator: the
// notices the lead machine sends arrive in the sellers' chat, escaped, and a flood limit longer
// than the notifier will wait is handed back to the engine, which sends the notice later.

/** Wednesday 25 November 2026, 11:00 in Moscow: inside the default working hours. */
const DAYTIME = Date.parse('2026-11-25T08:00:00Z');
const customer = { name: '<b>Анна</b> & Co', phone: '8 (916) 123-45-67', city: 'Москва', orderSum: 990 };

let sim: TelegramSim;
let stop: () => Promise<void> = async () => {};
afterEach(async () => {
  await stop();
  await sim.close();
});

async function start(
  config: TenantConfigInput = {},
  notifierOptions: Partial<TelegramNotifierOptions> = {},
  simOptions: Omit<TelegramSimOptions, 'now'> = {},
  logger: Logger = silentLogger(),
) {
  const clock = new SimulatedClock(DAYTIME);
  // The simulator's flood limits run on the engine's clock, so a retry_after passes when it advances.
  sim = await startTelegramSim({ ...simOptions, now: () => clock.now() });
  const store = new MemoryLeadStore();
  const crm = new RecordingCrm();
  const voice = new RecordingVoice();
  const notifier = createTelegramNotifier({
    token: TELEGRAM_TEST_TOKEN,
    chatId: TELEGRAM_TEST_CHAT_ID,
    apiRoot: sim.url,
    crmLeadUrl: 'https://shop.bitrix24.ru/crm/lead/details/{id}/',
    now: () => clock.now(),
    // The pacer's waits pass on the engine's clock too.
    sleep: (ms) => new Promise<void>((resolve) => clock.setTimer(resolve, ms)),
    ...notifierOptions,
  });
  const ports = { crm, voice, sms: new RecordingSms(), notifier };
  const tenants = new StaticTenants([{ id: 'default', config: tenantConfigSchema.parse(config), ports }]);
  const engine = new LeadEngine(store, tenants, clock, logger, { owner: 'test' });
  voice.onStart = (request: StartCallRequest) => {
    setImmediate(() => {
      void engine.deliver('default', request.leadId, {
        type: 'CALL_RESULT',
        at: clock.now(),
        attempt: request.attempt,
        report: { key: request.key, outcome: 'answered', durationSec: 20 },
      });
    });
  };
  await engine.start();
  stop = async () => {
    await engine.stop();
    await store.close();
  };
  return { engine, clock, store, crm };
}

const delivered = () => sim.state.sentTo(TELEGRAM_TEST_CHAT_ID);

describe('engine with the Telegram notifier on the simulator', () => {
  it('a new lead: the sellers see the customer as typed, with a link to the CRM lead', async () => {
    const { engine } = await start();
    await engine.submitLead(customer);
    await expect.poll(() => delivered().length, { timeout: 5_000 }).toBe(1);
    const [message] = delivered();
    expect(message?.text).toContain('Новый лид');
    expect(message?.text).toContain('Имя: <b>Анна</b> & Co');
    expect(message?.text).toContain('Город: Москва');
    // The CRM's own URL for the lead wins over the configured template.
    expect(message?.entities.find((e) => e.type === 'text_link')?.url).toMatch(
      /^https:\/\/crm\.example\/crm\/lead\/details\/\d+\/$/,
    );
    expect(sim.state.rejections).toEqual([]);
  });

  it('the CRM refuses our token: the sellers are asked to process the lead by hand', async () => {
    const { engine, crm } = await start();
    crm.fail('createLead', new AuthError('expired_token'));
    await engine.submitLead(customer);
    await expect
      .poll(() => delivered().map((m) => m.text.split('\n')[0]), { timeout: 5_000 })
      .toContain('⚠️ Лид не попал в CRM — обработайте вручную');
  });

  it('a flood limit longer than the notifier waits: the engine sends the notice later, once', async () => {
    // Call outcomes on, no pacing and no in-process waiting, and a chat that takes one message
    // every 5 s: the newLead and callOutcome notices of three leads (merged into digests while
    // the chat is busy) run into the flood limit, and every 429 goes back to the engine, which
    // re-queues the notices for when retry_after has passed.
    const { engine, clock } = await start(
      { notify: ['newLead', 'callOutcome'] },
      { chatIntervalMs: 0, maxWaitMs: 0 },
      { limits: { chat: { burst: 1, perSecond: 0.2 } } },
    );
    const phones = [0, 1, 2].map((i) => `+7916123456${i}`);
    for (const phone of phones) await engine.submitLead({ ...customer, phone });
    await expect.poll(() => sim.state.rejections.length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(sim.state.rejections.every((r) => r.errorCode === 429)).toBe(true);
    // Each lead's phone shows in its two notices (new lead, call outcome), wherever they went.
    const shown = () => phones.map((p) => delivered().filter((m) => m.text.includes(p)).length);
    for (let s = 0; s < 30 && shown().some((n) => n < 2); s += 1) {
      await clock.advance(1_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await expect.poll(shown, { timeout: 5_000 }).toEqual([2, 2, 2]);
    await clock.advance(10_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(shown()).toEqual([2, 2, 2]);
  });

  it('25 leads at once to the sellers’ group: a few digests within a minute, no notice handed back', async () => {
    const warnings: string[] = [];
    const logger = createLogger({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
    const { engine, clock } = await start({}, { chatId: TELEGRAM_TEST_GROUP_ID }, {}, logger);
    const began = clock.now();
    const phones = Array.from({ length: 25 }, (_, i) => `+79160000${String(i).padStart(3, '0')}`);
    await Promise.all(phones.map((phone) => engine.submitLead({ ...customer, phone })));
    const inGroup = () => sim.state.sentTo(TELEGRAM_TEST_GROUP_ID);
    const shown = () => phones.map((p) => inGroup().filter((m) => m.text.includes(p)).length);
    for (let s = 0; s < 120 && shown().some((n) => n === 0); s += 1) {
      await clock.advance(500);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(shown()).toEqual(phones.map(() => 1));
    expect(clock.now() - began).toBeLessThan(60_000);
    expect(inGroup().length).toBeLessThanOrEqual(6);
    expect(sim.state.rejections).toEqual([]);
    // Waiting for the chat's turn is pacing, not a failure: no notice went back to the engine.
    expect(warnings.filter((line) => line.includes('effect will be retried'))).toEqual([]);
  });
});
