import { SettingsError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { appConfigFromEnv, MIN_METRICS_TOKEN_LENGTH } from '../../src/config/app-config.js';

const BASE = {
  PROZVON_B24_CLIENT_ID: 'local.abc',
  PROZVON_B24_CLIENT_SECRET: 'a-client-secret',
  PROZVON_PUBLIC_URL: 'https://prozvon.example.com/',
};

describe('appConfigFromEnv', () => {
  it('reads the defaults: port 3100 on loopback, the file in ./.prozvon, metrics off', () => {
    const config = appConfigFromEnv(BASE, '/srv/app');
    expect(config).toMatchObject({
      publicUrl: 'https://prozvon.example.com',
      port: 3100,
      host: '127.0.0.1',
      databasePath: '/srv/app/.prozvon/app.db',
      trustProxy: false,
      metricsToken: null,
      retentionDays: 180,
    });
  });

  it('names every missing or wrong variable in one error, never a value', () => {
    const read = () =>
      appConfigFromEnv({ PROZVON_PUBLIC_URL: 'http://example.com', PROZVON_METRICS_TOKEN: 'short-secret' });
    expect(read).toThrow(SettingsError);
    expect(read).toThrow(/PROZVON_B24_CLIENT_ID/);
    expect(read).toThrow(/PROZVON_B24_CLIENT_SECRET/);
    expect(read).toThrow(/PROZVON_PUBLIC_URL: must be https/);
    expect(read).toThrow(new RegExp(`PROZVON_METRICS_TOKEN: must be at least ${MIN_METRICS_TOKEN_LENGTH}`));
    expect(read).not.toThrow(/short-secret/);
  });

  it('reads the retention in days; 0 keeps finished leads’ trails forever; anything else is named', () => {
    expect(appConfigFromEnv({ ...BASE, PROZVON_RETENTION_DAYS: '30' }).retentionDays).toBe(30);
    expect(appConfigFromEnv({ ...BASE, PROZVON_RETENTION_DAYS: '0' }).retentionDays).toBeNull();
    for (const bad of ['-1', '1.5', 'forever']) {
      expect(() => appConfigFromEnv({ ...BASE, PROZVON_RETENTION_DAYS: bad }), bad).toThrow(
        /PROZVON_RETENTION_DAYS: must be a whole number of days/,
      );
    }
  });

  it('takes a metrics token long enough', () => {
    const token = 'x'.repeat(MIN_METRICS_TOKEN_LENGTH);
    expect(appConfigFromEnv({ ...BASE, PROZVON_METRICS_TOKEN: token }).metricsToken).toBe(token);
  });
});

describe('appConfigFromEnv: PROZVON_REST_LOG_DAYS', () => {
  it('keeps the REST log 3 days unless told more', () => {
    expect(appConfigFromEnv(BASE, '/srv').restLogDays).toBe(3);
    expect(appConfigFromEnv({ ...BASE, PROZVON_REST_LOG_DAYS: '14' }, '/srv').restLogDays).toBe(14);
  });

  it('refuses fewer than 3 days (the Market asks for 3) or not a whole number, naming the variable', () => {
    for (const value of ['2', '0', '-5', '3.5', 'week']) {
      expect(() => appConfigFromEnv({ ...BASE, PROZVON_REST_LOG_DAYS: value }, '/srv'), value).toThrow(
        /PROZVON_REST_LOG_DAYS/,
      );
    }
  });
});
