import { createServer, type Server } from 'node:http';
import { createLogger, PermanentError } from '@prozvon/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { appConfigFromEnv } from '../../src/config/app-config.js';
import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';
import { SECRET_NAMES } from '../../src/settings/portal-providers.js';
import { parseSmsHosts, smsBaseUrlProblem } from '../../src/settings/sms-hosts.js';
import { PortalTenants } from '../../src/tenants/portal-tenants.js';

describe('where a portal’s SMS gateway may be', () => {
  it('each gateway’s own host over https; anything else is refused with the reason', () => {
    expect(smsBaseUrlProblem('smsru', 'https://sms.ru', {})).toBeNull();
    expect(smsBaseUrlProblem('smsc', 'https://smsc.ru/', {})).toBeNull();
    expect(smsBaseUrlProblem('twilio', 'https://api.twilio.com', {})).toBeNull();
    const refused = [
      ['smsru', 'http://sms.ru', 'must be https'],
      ['smsru', 'https://10.0.0.1', 'not one of'],
      ['smsru', 'https://169.254.169.254/latest', 'not one of'],
      ['smsru', 'https://localhost', 'not one of'],
      ['smsru', 'https://sms.ru.evil.example', 'not one of'],
      ['smsru', 'https://api.twilio.com', 'not one of'], // another gateway's host
      ['smsru', 'https://user:pw@sms.ru', 'user or password'],
      ['smsru', 'https://sms.ru:8443', 'default https port'],
    ] as const;
    for (const [kind, url, reason] of refused)
      expect(smsBaseUrlProblem(kind, url, {}), url).toContain(reason);
  });

  it('the operator’s hosts (https) and exact base URLs (a simulator’s) are allowed too', () => {
    const outbound = { hosts: ['sms-proxy.example.com'], baseUrls: ['http://127.0.0.1:4010/'] };
    expect(smsBaseUrlProblem('smsc', 'https://sms-proxy.example.com/smsc', outbound)).toBeNull();
    expect(smsBaseUrlProblem('smsc', 'http://sms-proxy.example.com', outbound)).toBe('must be https');
    expect(smsBaseUrlProblem('smsru', 'http://127.0.0.1:4010', outbound)).toBeNull();
    expect(smsBaseUrlProblem('smsru', 'http://127.0.0.1:4011', outbound)).not.toBeNull();
  });

  it('PROZVON_SMS_HOSTS takes public host names only, and says which variable is wrong', () => {
    expect(parseSmsHosts(' SMS-Proxy.example.com , sms.example.net')).toEqual({
      hosts: ['sms-proxy.example.com', 'sms.example.net'],
    });
    for (const bad of ['10.0.0.1', '[::1]', 'localhost', 'intranet', 'a.localhost', 'x_y.example.com']) {
      expect(parseSmsHosts(bad), bad).toEqual({ refused: bad });
    }
    const env = {
      PROZVON_B24_CLIENT_ID: 'local.1',
      PROZVON_B24_CLIENT_SECRET: 'secret',
      PROZVON_PUBLIC_URL: 'https://prozvon.example.com',
    };
    expect(appConfigFromEnv({ ...env, PROZVON_SMS_HOSTS: 'sms.example.net' }).smsHosts).toEqual([
      'sms.example.net',
    ]);
    expect(() => appConfigFromEnv({ ...env, PROZVON_SMS_HOSTS: '192.168.1.10' })).toThrow(
      /PROZVON_SMS_HOSTS/,
    );
  });
});

describe('a stored gateway the app may not send to', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** An "internal" service on loopback that counts what reaches it. */
  async function internalService() {
    const hits: string[] = [];
    server = createServer((request, response) => {
      hits.push(request.url ?? '');
      response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    return { hits, url: `http://127.0.0.1:${port}` };
  }

  async function smsPortOf(baseUrl: string, baseUrls: readonly string[]) {
    const portals = new MemoryPortalStore();
    await portals.upsertInstall({
      memberId: 'm1',
      domain: 'shop.bitrix24.ru',
      serverEndpoint: 'https://oauth.bitrix.info/rest/',
      clientEndpoint: 'https://shop.bitrix24.ru/rest/',
      applicationToken: 'app-token',
      tokens: null,
      status: 'active',
      at: 0,
    });
    // Saved before the settings API checked it (or written around it).
    await portals.updateSettings(
      'm1',
      {
        secrets: {
          [SECRET_NAMES.smsProviders]: JSON.stringify([{ kind: 'smsru', config: { apiId: 'k', baseUrl } }]),
        },
      },
      { by: 'old', at: 1 },
    );
    const tenants = new PortalTenants({
      portals,
      pendingCalls: {
        savePendingCall: async () => {},
        getPendingCall: async () => null,
        setPendingCallSession: async () => {},
      },
      // The operator's gateway: never used in place of the portal's own.
      defaults: { sms: [{ kind: 'smsru', config: { apiId: 'operator', baseUrl } }] },
      // Never called here: the CRM is not what this test sends through.
      crmAuth: () => ({ type: 'webhook', url: 'https://shop.bitrix24.ru/rest/1/unused/' }),
      voiceCallbackUrl: () => 'https://app.example/voice/x',
      sms: { baseUrls },
      logger: createLogger({ level: 'silent' }),
    });
    const tenant = await tenants.get('m1');
    if (tenant === null) throw new Error('no tenant');
    return tenant.ports.sms;
  }

  it('is not used: the SMS refuses for good and nothing reaches the address', async () => {
    const internal = await internalService();
    const sms = await smsPortOf(internal.url, []);
    await expect(
      sms.send({ key: 'lead:1:sms:night', phone: '+79160000001', text: 'x' }),
    ).rejects.toBeInstanceOf(PermanentError);
    expect(internal.hits).toEqual([]);
  });

  it('is used when the operator allowed that address (the control)', async () => {
    const internal = await internalService();
    const sms = await smsPortOf(internal.url, [internal.url]);
    await expect(sms.send({ key: 'lead:1:sms:night', phone: '+79160000001', text: 'x' })).rejects.toThrow();
    expect(internal.hits.length).toBeGreaterThan(0);
  });
});
