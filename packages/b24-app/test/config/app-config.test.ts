import { describe, expect, it } from 'vitest';
import { appConfigFromEnv } from '../../src/config/app-config.js';

const env = {
  PROZVON_B24_CLIENT_ID: 'local.1',
  PROZVON_B24_CLIENT_SECRET: 'client-secret-1',
  PROZVON_PUBLIC_URL: 'https://prozvon.example.com',
};

describe('appConfigFromEnv: PROZVON_REST_LOG_DAYS', () => {
  it('keeps the REST log 3 days unless told more', () => {
    expect(appConfigFromEnv(env, '/srv').restLogDays).toBe(3);
    expect(appConfigFromEnv({ ...env, PROZVON_REST_LOG_DAYS: '14' }, '/srv').restLogDays).toBe(14);
  });

  it('refuses fewer than 3 days (the Market asks for 3) or not a whole number, naming the variable', () => {
    for (const value of ['2', '0', '-5', '3.5', 'week']) {
      expect(() => appConfigFromEnv({ ...env, PROZVON_REST_LOG_DAYS: value }, '/srv'), value).toThrow(
        /PROZVON_REST_LOG_DAYS/,
      );
    }
  });
});
