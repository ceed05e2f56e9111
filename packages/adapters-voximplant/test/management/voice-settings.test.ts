import { createProzvon, silentLogger, type VoicePort } from '@prozvon/sdk';
import { MemoryLeadStore, RecordingCrm, RecordingNotifier, RecordingSms } from '@prozvon/sdk/testing';
import { describe, expect, it } from 'vitest';
import { createVoximplantVoice, parseVoiceSettings, type VoximplantVoiceOptions } from '../../src/index.js';
import { testServiceAccount } from '../helpers/service-account.js';
import { TEST_SECRET } from '../helpers/shop-server.js';

// Issue 14, point 2: the adapter is made from its settings in one call, and a setting its scenario
// needs (the message it plays, the store its plans come from) is checked then, naming the field,
// rather than missed at the first call.
const account = testServiceAccount();
const settings = (): VoximplantVoiceOptions => ({
  accountId: account.accountId,
  keyId: account.keyId,
  privateKey: account.privateKey,
  ruleId: 3_141_592,
  callbackUrl: 'https://shop.example/voice',
  message: 'https://shop.example/order-accepted.mp3',
  secret: TEST_SECRET,
  store: new MemoryLeadStore(),
});

/** The settings with some fields replaced or (given `undefined`) left out, as plain JavaScript may. */
function without(changes: Record<string, unknown>): VoximplantVoiceOptions {
  const out: Record<string, unknown> = { ...settings(), ...changes };
  for (const [field, value] of Object.entries(changes)) if (value === undefined) delete out[field];
  return out as unknown as VoximplantVoiceOptions;
}

describe('createVoximplantVoice settings', () => {
  it('comes with its callback route and says its scenario needs it', () => {
    const voice = createVoximplantVoice(settings());
    expect(voice.needsCallbacks).toBe(true);
    expect(typeof voice.handleCallback).toBe('function');
  });

  it('takes the ids as digits, as the environment gives them', () => {
    const parsed = parseVoiceSettings({ ...settings(), accountId: '1234', ruleId: ' 42 ' });
    expect([parsed.accountId, parsed.ruleId]).toEqual([1234, 42]);
  });

  it('reads a URL as a recording and any other text aloud, in the voice given', () => {
    const parsed = parseVoiceSettings({
      ...settings(),
      promotion: 'Скидка 10% на следующий заказ',
      voice: 'Yandex.Neural.ru_RU_filipp',
    });
    expect(parsed.message).toEqual({ kind: 'url', url: 'https://shop.example/order-accepted.mp3' });
    expect(parsed.promotion).toEqual({
      kind: 'tts',
      text: 'Скидка 10% на следующий заказ',
      voice: 'Yandex.Neural.ru_RU_filipp',
    });
    expect(parseVoiceSettings(settings()).promotion).toBeNull();
  });

  it.each([
    ['message', { message: undefined }, /^@prozvon\/adapters-voximplant: message: /],
    ['store', { store: undefined }, /store: expected a PendingCallStore: the shop's LeadStore/],
    ['callbackUrl', { callbackUrl: undefined }, /callbackUrl: /],
    ['callbackUrl', { callbackUrl: 'ftp://shop.example/voice' }, /callbackUrl: /],
    ['callbackUrl', { callbackUrl: `https://shop.example/${'v'.repeat(150)}` }, /callbackUrl: too long/],
    ['accountId', { accountId: 'abc' }, /accountId: /],
    ['secret', { secret: 'short' }, /secret: /],
    ['voice', { voice: 'alena please' }, /voice: expected a VoiceList path/],
    ['promotion.text', { promotion: 'x'.repeat(1501) }, /promotion\.text: /],
    ['message.url', { message: { kind: 'url', url: 'not a url' } }, /message\.url: /],
  ])('refuses a bad %s, naming it', (_field, changes, expected) => {
    expect(() => createVoximplantVoice(without(changes))).toThrow(expected);
  });

  it('names every bad field, one line each with the package, and never shows a value', () => {
    let message = '';
    try {
      createVoximplantVoice(without({ message: undefined, ruleId: 0, privateKey: 'hunter2-secret-key' }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      expect.stringMatching(/^@prozvon\/adapters-voximplant: privateKey: /),
      expect.stringMatching(/^@prozvon\/adapters-voximplant: ruleId: /),
      expect.stringMatching(/^@prozvon\/adapters-voximplant: message: /),
    ]);
    expect(message).not.toContain('hunter2');
  });
});

describe('createProzvon with this adapter', () => {
  const wire = (voice: VoicePort) =>
    createProzvon({
      store: new MemoryLeadStore(),
      crm: new RecordingCrm(),
      voice,
      sms: new RecordingSms(),
      notifier: new RecordingNotifier(),
      logger: silentLogger(),
    });

  it('takes it as made', () => {
    expect(() => wire(createVoximplantVoice(settings()))).not.toThrow();
  });

  it('refuses it without its callbacks (a wrapper that kept only the calls), naming what is missing', () => {
    const { handleCallback: _dropped, ...withoutCallbacks } = createVoximplantVoice(settings());
    expect(() => wire(withoutCallbacks)).toThrow(/^createProzvon: voice\.handleCallback: missing/);
  });
});
