import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatUrls, parseCliArgs, startAllSims } from '../../src/cli.js';

describe('parseCliArgs', () => {
  it('defaults every port to 0 (any free port)', () => {
    expect(parseCliArgs([])).toEqual({
      smsPort: 0,
      telegramPort: 0,
      bitrix24Port: 0,
      bitrix24HttpPort: 0,
      json: false,
      env: false,
    });
  });

  it('reads ports, the CA file and --json', () => {
    expect(
      parseCliArgs(['--sms-port', '4010', '--telegram-port=4011', '--ca-file', '/tmp/ca.pem', '--json']),
    ).toMatchObject({
      smsPort: 4010,
      telegramPort: 4011,
      caFile: '/tmp/ca.pem',
      json: true,
    });
  });

  it('names a bad port and refuses unknown options', () => {
    expect(() => parseCliArgs(['--sms-port', '70000'])).toThrow(/smsPort/);
    expect(() => parseCliArgs(['--sms-port', 'abc'])).toThrow(/smsPort/);
    expect(() => parseCliArgs(['--verbose'])).toThrow(/verbose/);
  });

  it('asks for help', () => {
    expect(parseCliArgs(['--help'])).toBe('help');
  });
});

describe('startAllSims', () => {
  it('starts SMS, Telegram and Bitrix24 on loopback, saves the CA, and closes them all', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prozvon-cli-'));
    const caFile = join(dir, 'ca.pem');
    const options = parseCliArgs(['--ca-file', caFile]);
    if (options === 'help') throw new Error('--ca-file parsed as --help');
    const sims = await startAllSims(options);
    try {
      const { urls } = sims;
      expect(urls.sms).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(urls.telegram).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(urls.bitrix24.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(urls.bitrix24.webhookUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/rest\/1\/\w+\/$/);
      expect(await readFile(caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
      for (const url of [urls.sms, urls.telegram, urls.bitrix24.httpUrl]) {
        expect((await fetch(url)).headers.get('content-type')).toMatch(/text\/html/);
      }
      const table = formatUrls(urls);
      expect(table).toContain(urls.sms);
      expect(table).toContain(caFile);
    } finally {
      await sims.close();
      await rm(dir, { recursive: true, force: true });
    }
    await expect(fetch(sims.urls.sms)).rejects.toThrow(TypeError);
    await expect(fetch(sims.urls.telegram)).rejects.toThrow(TypeError);
  });
});

describe('prozvon-sims as a shop developer runs it', () => {
  it('prints, without --json, everything the adapters need: the test credentials, the key and the CA', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prozvon-cli-env-'));
    const scenario = join(dir, 'scenario.js');
    await writeFile(scenario, 'VoxEngine.addEventListener(AppEvents.Started, () => VoxEngine.terminate());');
    const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');
    const args = ['--voximplant-scenario', scenario, '--callback-url', 'http://127.0.0.1:3000/voice'];
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      await expect.poll(() => out, { timeout: 15_000 }).toContain('TELEGRAM_API_ROOT');
      const exports = out.slice(out.indexOf('export '));
      // The printed lines, read back by a shell, give the values exactly (the PEM's newlines too).
      const shell = (name: string) =>
        execFileSync('sh', ['-c', `${exports}\nprintf %s "$${name}"`], { encoding: 'utf8' });
      expect(shell('VOXIMPLANT_PRIVATE_KEY')).toMatch(
        /^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n?$/,
      );
      expect(await readFile(shell('NODE_EXTRA_CA_CERTS'), 'utf8')).toContain('BEGIN CERTIFICATE');
      expect(shell('VOXIMPLANT_CALLBACK_URL')).toBe('http://127.0.0.1:3000/voice');
      for (const name of [
        'BITRIX24_WEBHOOK_URL',
        'VOXIMPLANT_ACCOUNT_ID',
        'VOXIMPLANT_KEY_ID',
        'VOXIMPLANT_RULE_ID',
        'VOXIMPLANT_API_BASE',
        'PROZVON_SECRET',
        'SMSRU_API_ID',
        'SMSRU_BASE_URL',
        'TELEGRAM_BOT_TOKEN',
        'TELEGRAM_CHAT_ID',
      ])
        expect(shell(name), name).not.toBe('');
      expect(out).toContain('Bitrix24 CA certificate');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
