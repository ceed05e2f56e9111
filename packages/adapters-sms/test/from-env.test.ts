import { describe, expect, it } from 'vitest';
import { createSmsPort, smsFromEnv } from '../src/index.js';

describe('smsFromEnv', () => {
  it('makes the failover chain of the gateways whose variables are set, in order', () => {
    const settings = smsFromEnv({
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'token',
      TWILIO_FROM: '+15005550006',
      SMSRU_API_ID: 'id',
      SMSRU_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(settings.providers).toEqual([
      { kind: 'smsru', config: { apiId: 'id', baseUrl: 'http://127.0.0.1:9' } },
      {
        kind: 'twilio',
        config: { accountSid: `AC${'0'.repeat(32)}`, authToken: 'token', from: '+15005550006' },
      },
    ]);
    expect(() => createSmsPort(settings)).not.toThrow();
  });

  it('names what is missing: a gateway half set, or none at all', () => {
    expect(() => smsFromEnv({ SMSC_LOGIN: 'shop' })).toThrow('@prozvon/adapters-sms: SMSC_PASSWORD: not set');
    expect(() => smsFromEnv({})).toThrow(
      '@prozvon/adapters-sms: SMSRU_API_ID, SMSC_LOGIN or TWILIO_ACCOUNT_SID: none set',
    );
  });
});
