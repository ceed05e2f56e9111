import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Bitrix24Sim, startBitrix24Sim } from '@prozvon/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';

// `node dist/main.js` with one service's credentials in the environment: that service is used for
// real — here the inbound webhook of a portal this test runs (its CA handed over with
// NODE_EXTRA_CA_CERTS, as a shop behind a corporate CA would) — and the others run on simulators.

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let portal: Bitrix24Sim;
let dir: string;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: npm run build -w @prozvon/example-express`);
  portal = await startBitrix24Sim({
    portals: [{ key: 'shop', webhooks: [{ userId: 1, secret: 'shopwebhook42' }] }],
  });
  dir = mkdtempSync(join(tmpdir(), 'prozvon-main-'));
  writeFileSync(join(dir, 'ca.pem'), portal.ca);
});
afterAll(async () => {
  await portal.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a webhook in BITRIX24_WEBHOOK_URL is the real CRM; the rest simulated; SIGTERM stops it cleanly', async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BITRIX24_WEBHOOK_URL: portal.webhookUrl('shop'),
    NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
    PROZVON_DB: join(dir, 'data', 'shop.db'),
    PORT: '0',
    SHOP_NAME: 'Лавка',
    PROZVON_LOG_LEVEL: 'silent',
  };
  for (const name of [
    'PROZVON_DEMO',
    'VOXIMPLANT_ACCOUNT_ID',
    'SMSRU_API_ID',
    'SMSC_LOGIN',
    'TWILIO_ACCOUNT_SID',
    'TELEGRAM_BOT_TOKEN',
  ])
    delete env[name];
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await expect
      .poll(() => output, { timeout: 30_000 })
      .toMatch(/Shop at http:\/\/127\.0\.0\.1:\d+; simulated: /);
    expect(output).toContain('simulated: voximplant, sms, telegram');
    const shop = /Shop at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';

    const response = await fetch(`${shop}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'utm_source=PARTNER42' },
      body: JSON.stringify({ name: 'Анна', phone: '+7 916 000-00-01' }),
    });
    expect(response.status).toBe(202);
    const { leadId } = (await response.json()) as { leadId: string };
    // The CRM region does not wait for working hours: the lead reaches the real portal whatever the time.
    await expect.poll(() => portal.state.leads('shop').length, { timeout: 15_000 }).toBe(1);
    expect(portal.state.leads('shop')[0]).toMatchObject({ NAME: 'Анна', ORIGIN_ID: `prozvon:${leadId}` });
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(output).toContain('SIGTERM: stopping…');
}, 60_000);
