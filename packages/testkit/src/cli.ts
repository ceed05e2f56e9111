#!/usr/bin/env node
// `prozvon-sims`: starts every testkit simulator on loopback for the demo and manual poking, prints
// their URLs, and stops them on SIGINT/SIGTERM. Runs on whatever Node runs it (Node 24 expected).
import { realpathSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startBitrix24Sim } from './bitrix24/index.js';
import { SMSRU_TEST_API_ID, startSmsSim } from './sms/index.js';
import { startTelegramSim, TELEGRAM_TEST_CHAT_ID, TELEGRAM_TEST_TOKEN } from './telegram/index.js';
import { startVoximplantSim } from './voximplant/index.js';

const port = z.coerce.number().int().min(0).max(65535);

const CliOptions = z.object({
  smsPort: port.default(0),
  telegramPort: port.default(0),
  bitrix24Port: port.default(0),
  bitrix24HttpPort: port.default(0),
  caFile: z.string().min(1).optional(),
  voximplantPort: port.optional(),
  /** The Voximplant simulator runs only with a scenario to run (the adapter's prozvon-callback.js). */
  voximplantScenario: z.string().min(1).optional(),
  /** The shop's voice route, for VOXIMPLANT_CALLBACK_URL in the printed environment. */
  callbackUrl: z.url({ protocol: /^https?$/ }).optional(),
  json: z.boolean().default(false),
  env: z.boolean().default(false),
});
export type CliOptions = z.output<typeof CliOptions>;

const USAGE = `Usage: prozvon-sims [options]
  --sms-port <n>            SMS.ru / SMSC / Twilio simulator port (default: any free port)
  --telegram-port <n>       Telegram Bot API simulator port
  --bitrix24-port <n>       Bitrix24 simulator HTTPS port
  --bitrix24-http-port <n>  Bitrix24 simulator plain HTTP port
  --ca-file <path>          write the Bitrix24 simulator's CA certificate (PEM) there (default: a
                            file in the system's temporary directory, removed at exit)
  --voximplant-scenario <path>  start the Voximplant simulator running this VoxEngine scenario
                            (packages/adapters-voximplant/scenario/prozvon-callback.js)
  --voximplant-port <n>     Voximplant simulator port
  --callback-url <url>      the shop's voice route, printed as VOXIMPLANT_CALLBACK_URL
  --json                    print the URLs and credentials as one JSON line instead of a table
  --env                     print only the environment the adapters' …FromEnv read, as shell
                            exports: eval "$(prozvon-sims --env …)" in the shop's shell
  --help                    this text
`;

/** Parses the command line; throws with a message naming the bad option. */
export function parseCliArgs(argv: readonly string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'sms-port': { type: 'string' },
      'telegram-port': { type: 'string' },
      'bitrix24-port': { type: 'string' },
      'bitrix24-http-port': { type: 'string' },
      'ca-file': { type: 'string' },
      'voximplant-port': { type: 'string' },
      'voximplant-scenario': { type: 'string' },
      'callback-url': { type: 'string' },
      json: { type: 'boolean' },
      env: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const parsed = CliOptions.safeParse({
    smsPort: values['sms-port'],
    telegramPort: values['telegram-port'],
    bitrix24Port: values['bitrix24-port'],
    bitrix24HttpPort: values['bitrix24-http-port'],
    caFile: values['ca-file'],
    voximplantPort: values['voximplant-port'],
    voximplantScenario: values['voximplant-scenario'],
    callbackUrl: values['callback-url'],
    json: values.json,
    env: values.env,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`bad option ${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export interface RunningSims {
  urls: {
    sms: string;
    telegram: string;
    bitrix24: { url: string; httpUrl: string; webhookUrl: string; caFile: string };
    voximplant?: { url: string; accountId: number; ruleId: number; keyId: string; privateKey: string };
  };
  /** Everything the adapters' `…FromEnv` read, pointing at these simulators' test accounts. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts all simulators; if one fails to start, the ones already running are closed. */
export async function startAllSims(options: CliOptions): Promise<RunningSims> {
  const started: { close(): Promise<void> }[] = [];
  try {
    const sms = await startSmsSim({ port: options.smsPort });
    started.push(sms);
    const telegram = await startTelegramSim({ port: options.telegramPort });
    started.push(telegram);
    const b24 = await startBitrix24Sim({ port: options.bitrix24Port, httpPort: options.bitrix24HttpPort });
    started.push(b24);
    // Always saved: a shop's process trusts it through NODE_EXTRA_CA_CERTS.
    const caFile = options.caFile ?? join(tmpdir(), `prozvon-sims-ca-${process.pid}.pem`);
    await writeFile(caFile, b24.ca);
    if (options.caFile === undefined) started.push({ close: () => rm(caFile, { force: true }) });
    const vox = options.voximplantScenario
      ? await startVoximplantSim({
          scenarioSource: await readFile(options.voximplantScenario, 'utf8'),
          scenarioName: options.voximplantScenario,
          ...(options.voximplantPort === undefined ? {} : { port: options.voximplantPort }),
        })
      : undefined;
    if (vox) started.push(vox);
    const urls: RunningSims['urls'] = {
      sms: sms.url,
      telegram: telegram.url,
      bitrix24: {
        url: b24.url,
        httpUrl: b24.httpUrl,
        webhookUrl: b24.webhookUrl(),
        caFile,
      },
      ...(vox
        ? {
            voximplant: {
              url: vox.url,
              accountId: vox.accountId,
              ruleId: vox.ruleId,
              keyId: vox.serviceKey.keyId,
              privateKey: vox.serviceKey.privateKey,
            },
          }
        : {}),
    };
    return {
      urls,
      env: adapterEnv(urls, options.callbackUrl),
      close: async () => {
        await Promise.all(started.map((sim) => sim.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(started.map((sim) => sim.close()));
    throw error;
  }
}

/** A test secret for PROZVON_SECRET (the voice adapter's); never for production. */
export const SIMS_TEST_SECRET = 'prozvon-sims-test-secret-not-for-production-0123456789';

/** The variables the adapters' `…FromEnv` read, for these simulators. */
export function adapterEnv(urls: RunningSims['urls'], callbackUrl?: string): Record<string, string> {
  const vox = urls.voximplant;
  return {
    NODE_EXTRA_CA_CERTS: urls.bitrix24.caFile,
    BITRIX24_WEBHOOK_URL: urls.bitrix24.webhookUrl,
    ...(vox
      ? {
          VOXIMPLANT_ACCOUNT_ID: String(vox.accountId),
          VOXIMPLANT_KEY_ID: vox.keyId,
          VOXIMPLANT_PRIVATE_KEY: vox.privateKey,
          VOXIMPLANT_RULE_ID: String(vox.ruleId),
          VOXIMPLANT_API_BASE: vox.url,
          PROZVON_SECRET: SIMS_TEST_SECRET,
          ...(callbackUrl === undefined ? {} : { VOXIMPLANT_CALLBACK_URL: callbackUrl }),
        }
      : {}),
    SMSRU_API_ID: SMSRU_TEST_API_ID,
    SMSRU_BASE_URL: urls.sms,
    TELEGRAM_BOT_TOKEN: TELEGRAM_TEST_TOKEN,
    TELEGRAM_CHAT_ID: String(TELEGRAM_TEST_CHAT_ID),
    TELEGRAM_API_ROOT: urls.telegram,
  };
}

/** `export NAME='value'` lines a POSIX shell reads back exactly (a PEM keeps its newlines). */
export function formatEnv(env: Record<string, string>): string {
  const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
  return Object.entries(env)
    .map(([name, value]) => `export ${name}=${quote(value)}\n`)
    .join('');
}

export function formatUrls(urls: RunningSims['urls']): string {
  const rows = [
    ['SMS (SMS.ru, SMSC, Twilio)', urls.sms],
    ['Telegram Bot API (apiRoot)', urls.telegram],
    ['Bitrix24 over HTTPS', urls.bitrix24.url],
    ['Bitrix24 over HTTP', urls.bitrix24.httpUrl],
    ['Bitrix24 inbound webhook', urls.bitrix24.webhookUrl],
    ['Bitrix24 CA certificate', `${urls.bitrix24.caFile}  (trust it: NODE_EXTRA_CA_CERTS)`],
    ...(urls.voximplant
      ? [
          [
            'Voximplant (apiBase)',
            `${urls.voximplant.url}  account ${urls.voximplant.accountId}, rule ${urls.voximplant.ruleId}`,
          ],
        ]
      : []),
  ];
  const lines = rows.map(([name, value]) => `  ${(name as string).padEnd(28)} ${value}`);
  return `Prozvon simulators on loopback; each shows what it received at GET /. Ctrl+C stops them.\n${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const sims = await startAllSims(options);
  const env = formatEnv(sims.env);
  if (options.env) process.stdout.write(env);
  else if (options.json) process.stdout.write(`${JSON.stringify({ ...sims.urls, env: sims.env })}\n`);
  else
    process.stdout.write(
      `${formatUrls(sims.urls)}\nThe adapters' settings (their …FromEnv read these):\n${env}`,
    );
  // The simulators' servers are unref()'d so tests exit by themselves; here something must hold
  // the process open until a signal arrives.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const stop = () => {
    clearInterval(keepAlive);
    sims.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// Run only when executed (the bin symlink resolves to this file), not when imported by a test.
const invokedAs = process.argv[1];
if (invokedAs !== undefined && realpathSync(invokedAs) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
