import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SCENARIO_FILE } from '@prozvon/adapters-voximplant';
import {
  type Bitrix24Sim,
  compileScratchProject,
  packInto,
  SMSRU_TEST_API_ID,
  type SmsSim,
  startBitrix24Sim,
  startSmsSim,
  startTelegramSim,
  startVoximplantSim,
  TELEGRAM_TEST_CHAT_ID,
  TELEGRAM_TEST_TOKEN,
  type TelegramSim,
  type VoximplantSim,
} from '@prozvon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownLines, readmeBlocks } from './support/readme-blocks.js';

// Issue 14, "Done means": the packages built and packed, the tarballs installed into a scratch
// project on Fastify, wired exactly as the root README shows (its code block, taken from the
// README), run on Node 24 against the simulators: a lead submitted over HTTP is answered.

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const PACKAGES = ['sdk', 'adapters-bitrix24', 'adapters-voximplant', 'adapters-sms', 'adapters-telegram'];
const SECRET = 'readme-fastify-test-secret-0123456789abcdef';
const PHONE = '79160000001';

// Inside the repository, so the packages' own dependencies (zod, xstate, grammy, fastify…) resolve
// from the root node_modules: no registry, as a test never leaves loopback.
const scratch = mkdtempSync(join(root, '.prozvon-pack-readme-'));

// The shop's opening hours (09:00–21:00 Moscow) whatever the hour of the run: both processes read a
// clock moved to today's 12:00 in Moscow (UTC+3, no DST), the shop's by a preloaded module.
const clockModule = join(here, 'support', 'shifted-clock.mjs');
const now = new Date();
const noonMoscow = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 9, 0, 0);
process.env.PROZVON_TEST_CLOCK_SHIFT_MS = String(noonMoscow - Date.now());
const { restoreClock } = (await import(pathToFileURL(clockModule).href)) as { restoreClock(): void };

let sims:
  | { bitrix24: Bitrix24Sim; voximplant: VoximplantSim; sms: SmsSim; telegram: TelegramSim }
  | undefined;
let shop: ChildProcess | undefined;
let shopOutput = '';

beforeAll(async () => {
  sims = {
    bitrix24: await startBitrix24Sim(),
    voximplant: await startVoximplantSim({
      scenarioSource: readFileSync(SCENARIO_FILE, 'utf8'),
      scenarioName: 'prozvon-callback.js',
      phones: { [PHONE]: 'answers' },
    }),
    sms: await startSmsSim(),
    telegram: await startTelegramSim(),
  };
});

afterAll(async () => {
  if (shop && shop.exitCode === null) {
    shop.kill('SIGTERM');
    await once(shop, 'exit');
  }
  await Promise.all(Object.values(sims ?? {}).map((sim) => sim.close()));
  restoreClock();
  rmSync(scratch, { recursive: true, force: true });
});

/** The root README's wiring: its TypeScript block that mounts the SDK on Fastify. */
function readmeWiring(): string {
  const block = readmeBlocks(root, 'README.md').find((b) => b.code.includes("from '@prozvon/sdk/fastify'"));
  if (!block) throw new Error('README.md has no TypeScript block wiring the SDK on Fastify');
  return block.code;
}

function packAndInstall(): string[] {
  const packed = packInto(
    root,
    scratch,
    PACKAGES.map((p) => `packages/${p}`),
  );
  for (const { name, files } of packed) {
    // Every published package carries its own README (issue 14, point 1).
    expect(
      files.map((f) => f.path),
      name,
    ).toContain('README.md');
  }
  return packed.map((p) => p.name);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function until<T>(what: string, read: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (value !== undefined) return value;
    if (shop?.exitCode !== null)
      throw new Error(`the shop exited (${shop?.exitCode}) before ${what}:\n${shopOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}:\n${shopOutput}`);
}

describe('the root README, as a shop on Fastify installs it from the tarballs', () => {
  // `npm pack` runs the testkit's prepack (a tsc build): 12 s on a quiet 2-core machine, over
  // 20 s under load — the default timeout failed a CI run that was otherwise green.
  it('the testkit, too, ships its README', { timeout: 120_000 }, () => {
    const [testkit] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '-w', 'packages/testkit'], {
        cwd: root,
      }).toString(),
    ) as { files: { path: string }[] }[];
    expect(testkit?.files.map((f) => f.path)).toContain('README.md');
  });

  it('wires in at most 15 lines of the shop’s own code', () => {
    const lines = ownLines(readmeWiring());
    process.stdout.write(`README wiring: ${lines.length} lines of the shop's own code\n`);
    expect(lines.length).toBeLessThanOrEqual(15);
  });

  // Packs six packages (each prepack a tsc build), installs them and compiles the scratch shop:
  // about 60 s on a quiet machine, and 110 s were not enough at load 24. A guard, not a timing.
  it('answers a lead submitted to the shop, against the simulators', { timeout: 300_000 }, async () => {
    expect(packAndInstall().sort()).toEqual(PACKAGES.map((p) => `@prozvon/${p}`).sort());
    const main = compileScratchProject(root, scratch, readmeWiring());

    const { bitrix24, voximplant, sms, telegram } = sims ?? {};
    if (!bitrix24 || !voximplant || !sms || !telegram) throw new Error('simulators not started');
    writeFileSync(join(scratch, 'testkit-ca.pem'), bitrix24.ca);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // Only the environment differs from production: the simulators' accounts and addresses.
    const env = {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      NODE_OPTIONS: `--import=${pathToFileURL(clockModule).href}`,
      PROZVON_TEST_CLOCK_SHIFT_MS: process.env.PROZVON_TEST_CLOCK_SHIFT_MS ?? '0',
      NODE_EXTRA_CA_CERTS: join(scratch, 'testkit-ca.pem'), // the Bitrix24 simulator's CA
      BITRIX24_WEBHOOK_URL: bitrix24.webhookUrl(),
      VOXIMPLANT_ACCOUNT_ID: String(voximplant.accountId),
      VOXIMPLANT_KEY_ID: voximplant.serviceKey.keyId,
      VOXIMPLANT_PRIVATE_KEY: voximplant.serviceKey.privateKey,
      VOXIMPLANT_RULE_ID: String(voximplant.ruleId),
      VOXIMPLANT_API_BASE: voximplant.url,
      VOXIMPLANT_CALLBACK_URL: `${url}/voice`,
      PROZVON_SECRET: SECRET,
      SMSRU_API_ID: SMSRU_TEST_API_ID,
      SMSRU_BASE_URL: sms.url,
      TELEGRAM_BOT_TOKEN: TELEGRAM_TEST_TOKEN,
      TELEGRAM_CHAT_ID: String(TELEGRAM_TEST_CHAT_ID),
      TELEGRAM_API_ROOT: telegram.url,
    };
    shop = spawn(bin('node'), [main], { cwd: scratch, env, stdio: 'pipe' });
    const keep = (chunk: Buffer) => {
      shopOutput += chunk.toString();
    };
    shop.stdout?.on('data', keep);
    shop.stderr?.on('data', keep);

    await until('the shop listening', () =>
      fetch(`${url}/`).then(
        () => true,
        () => undefined,
      ),
    );
    const response = await fetch(`${url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Анна', phone: '+7 916 000-00-01' }),
    });
    expect(response.status).toBe(202);
    const { leadId } = (await response.json()) as { leadId: string };

    // Answered: the scenario reached a person and the shop took its signed result, so the engine
    // sent the "answered" SMS; the lead is in the CRM with the call on its card.
    await until('the answered call', () => voximplant.state.calls.find((c) => c.amdVerdict === 'HUMAN'));
    const [text] = await until('the SMS', () =>
      sms.state.sent(PHONE).length > 0 ? sms.state.sent(PHONE) : undefined,
    );
    expect(text?.text).toContain('Чайная лавка');
    expect(voximplant.state.callbacks.map((r) => [new URL(r.url).pathname, r.code])).toEqual([
      ['/voice', 200],
      ['/voice', 200],
    ]);
    const [lead] = bitrix24.state.leads();
    expect(lead).toMatchObject({ NAME: 'Анна', ORIGIN_ID: `prozvon:${leadId}` });
    await until('the sellers told', () => (telegram.state.messages.length > 0 ? true : undefined));

    shop.kill('SIGTERM');
    const [code] = await once(shop, 'exit');
    expect(code).toBe(0);
  });
});
