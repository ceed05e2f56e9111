import { describe, expect, it } from 'vitest';
import { missingServices, settingsFromEnv } from '../src/index.js';

describe('adapter settings from the environment', () => {
  it('nothing set: every service runs on its simulator', () => {
    expect(missingServices(settingsFromEnv({}))).toEqual(['crm', 'voximplant', 'sms', 'telegram']);
  });

  it('each service from its variables; SMS providers in failover order', () => {
    const settings = settingsFromEnv({
      BITRIX24_WEBHOOK_URL: 'https://shop.bitrix24.ru/rest/1/k32t88gf3azpmwv3/',
      VOXIMPLANT_ACCOUNT_ID: '4242001',
      VOXIMPLANT_KEY_ID: 'key-1',
      VOXIMPLANT_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\n…',
      VOXIMPLANT_RULE_ID: '3141592',
      PROZVON_SECRET: 's'.repeat(32),
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'token',
      TWILIO_FROM: '+15005550006',
      SMSRU_API_ID: 'api-id',
      SMSRU_SENDER: 'MyShop',
      TELEGRAM_BOT_TOKEN: '123:abc',
      TELEGRAM_CHAT_ID: '-1001002003004',
    });
    expect(missingServices(settings)).toEqual([]);
    expect(settings.crm).toEqual({
      auth: { type: 'webhook', url: 'https://shop.bitrix24.ru/rest/1/k32t88gf3azpmwv3/' },
    });
    expect(settings.voximplant).toMatchObject({ accountId: 4242001, ruleId: 3141592, keyId: 'key-1' });
    expect(settings.sms?.map((p) => p.kind)).toEqual(['smsru', 'twilio']);
    expect(settings.sms?.[0]).toEqual({ kind: 'smsru', config: { apiId: 'api-id', sender: 'MyShop' } });
    expect(settings.telegram).toEqual({ token: '123:abc', chatId: '-1001002003004' });
  });

  it('a service half configured is an error naming the missing variable, not a silent simulator', () => {
    expect(() => settingsFromEnv({ VOXIMPLANT_ACCOUNT_ID: '1' })).toThrow('VOXIMPLANT_KEY_ID is required');
    expect(() => settingsFromEnv({ TELEGRAM_BOT_TOKEN: '123:abc' })).toThrow('TELEGRAM_CHAT_ID is required');
    expect(() => settingsFromEnv({ SMSC_LOGIN: 'shop' })).toThrow('SMSC_PASSWORD is required');
  });
});
