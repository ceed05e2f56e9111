import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
