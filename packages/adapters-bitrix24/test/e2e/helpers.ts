import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CrmLeadRequest } from '@prozvon/sdk';
import {
  type Bitrix24Sim,
  type Bitrix24SimOptions,
  startBitrix24Sim,
  trustTestkitCa,
} from '@prozvon/testkit';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { oauthAuthFromInstall } from '../../src/install-auth.js';

const running: Bitrix24Sim[] = [];

/**
 * A PBX's recording storage on loopback: any `*.mp3` path answers a few bytes, anything else 404.
 * The simulator downloads attachRecord's RECORD_URL like the portal does, so a call's recording
 * must be really there (an unreachable URL fails the attach, as on the real portal).
 */
async function startRecordings(): Promise<{ origin: string; url(name: string): string }> {
  const server = createServer((req, res) => {
    const found = (req.url ?? '').endsWith('.mp3');
    res.writeHead(found ? 200 : 404, { 'content-type': 'audio/mpeg' });
    res.end(found ? 'ID3 recording' : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, url: (name) => `${origin}/records/${name}` };
}

export const recordings = await startRecordings();

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

/** A Bitrix24 simulator that closes after the test, its CA trusted by this process. */
export async function startSim(options: Bitrix24SimOptions = {}): Promise<Bitrix24Sim> {
  const sim = await startBitrix24Sim({ publicRecordOrigins: [recordings.origin], ...options });
  running.push(sim);
  trustTestkitCa(sim.ca);
  return sim;
}

/**
 * Counts the REST requests that leave this process, by URL path, without touching them: msw with
 * no handlers lets every request through to the simulator and reports it on the way.
 */
export function countRequests(): { readonly paths: string[]; readonly statuses: number[]; reset(): void } {
  const paths: string[] = [];
  const statuses: number[] = [];
  const server = setupServer();
  // The simulator's own download of a recording (same process) is not a request to the portal.
  const isRecording = (url: string) => url.startsWith(recordings.origin);
  server.events.on('request:start', ({ request }) => {
    if (!isRecording(request.url)) paths.push(new URL(request.url).pathname);
  });
  server.events.on('response:bypass', ({ request, response }) => {
    if (!isRecording(request.url)) statuses.push(response.status);
  });
  beforeAll(() => server.listen({ onUnhandledFrame: 'bypass' }));
  afterEach(() => {
    paths.length = 0;
    statuses.length = 0;
  });
  afterAll(() => server.close());
  return {
    paths,
    statuses,
    reset() {
      paths.length = 0;
      statuses.length = 0;
    },
  };
}

/** Installs a fresh app on the simulator's portal and returns the adapter's `oauth` auth option. */
export async function installApp(sim: Bitrix24Sim) {
  const app = sim.registerApp({ scope: ['crm', 'telephony', 'user'] });
  const { auth } = await sim.installApp(app.clientId);
  return { app, auth: oauthAuthFromInstall(auth, app) };
}

let serial = 0;

/** A lead request as the engine sends it, with every field a shop can fill. */
export function leadRequest(overrides: Partial<CrmLeadRequest> = {}): CrmLeadRequest {
  serial += 1;
  return {
    key: `lead:e2e-${serial}:crm`,
    phone: '+79161234567',
    partner: null,
    submittedAt: Date.UTC(2026, 10, 25, 9, 30),
    lead: {
      name: 'Анна <b>Иванова</b>',
      phone: '8 916 123-45-67',
      city: 'Екатеринбург',
      timezone: 'Asia/Yekaterinburg',
      partnerCode: 'p-42',
      site: 'shop.example',
      orderSum: 1500.5,
      currency: 'RUB',
      items: [{ name: 'Чайник & чашки', qty: 2, price: 750.25 }],
      ip: '203.0.113.7',
      utm: { medium: 'referral', campaign: 'autumn', content: 'banner', term: 'kettle' },
      comment: 'Позвоните после 18:00',
    },
    ...overrides,
  };
}
