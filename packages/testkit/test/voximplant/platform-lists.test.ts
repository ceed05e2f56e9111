import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AMD_MODEL,
  AMD_MODELS,
  type PhonePreset,
  resolvePhone,
  runScenario,
  type VirtualPhone,
  VOICE_NAMES,
} from '../../src/index.js';

// Issue 14, point 12: the stand-in refuses what VoxEngine refuses and falls back where it falls
// back, as its official typings (voximplant/voxengine-ci 28.0.0) declare — so a scenario that
// trips on either is caught here and not on the first real call.

/** Runs `body` (scenario code) inside AppEvents.Started; it calls `done()` to terminate. */
async function session(body: string, phone: VirtualPhone | PhonePreset = 'answers', extra = {}) {
  const run = runScenario({
    scenarioSource: `VoxEngine.addEventListener(AppEvents.Started, () => {
      const done = () => VoxEngine.terminate();
      ${body}
    });`,
    customData: '',
    sessionId: 7,
    phoneFor: () => resolvePhone(phone),
    timeScale: 0.001,
    ...extra,
  });
  return run.done;
}

/** Dials, and once connected runs `play` (which may use `call`); logs each PlaybackFinished. */
const dialAndPlay = (play: string) => `
  const call = VoxEngine.callPSTN('79160000001', '74950000000');
  call.addEventListener(CallEvents.Connected, () => { ${play} });
  call.addEventListener(CallEvents.PlaybackFinished, (e) => {
    Logger.write('finished ' + (e.error === undefined ? 'ok' : 'error: ' + e.error));
    call.hangup();
  });
  call.addEventListener(CallEvents.Disconnected, done);
`;

describe('AMD.Model and AMD.create', () => {
  it('has exactly the models of the typings, and AMD.create takes each of them', async () => {
    expect(Object.values(AMD_MODEL)).toEqual([...AMD_MODELS]);
    expect(AMD_MODEL).toMatchObject({ RU: 'ru', KZ: 'kz', CO: 'colombia', EU_GENERAL: 'eu_general' });
    const record = await session(`
      for (const key of Object.keys(AMD.Model)) Logger.write(AMD.create({ model: AMD.Model[key] }).model);
      done();
    `);
    expect(record.finishReason).toBe('Normal termination');
    expect(record.log).toEqual([...AMD_MODELS]);
  });

  it('throws on any other model, as VoxEngine does: the session dies before anything is dialled', async () => {
    const record = await session(`
      const amd = AMD.create({ model: 'russian' });
      VoxEngine.callPSTN('79160000001', '74950000000', { amd });
    `);
    expect(record.finishReason).toBe('JS session error');
    expect(record.log.join('\n')).toContain('AMD.create: model must be an AMD.Model value, got russian');
    expect(record.calls).toEqual([]);
  });
});

describe('VoiceList and Call.say', () => {
  it('holds the voices of the typings and nothing else', async () => {
    expect(VOICE_NAMES.has('Yandex.Neural.ru_RU_alena')).toBe(true);
    expect(VOICE_NAMES.has('Amazon.en_US_Joanna')).toBe(true);
    expect(VOICE_NAMES.size).toBeGreaterThan(2000);
    const record = await session(`
      Logger.write(String(VoiceList.Yandex.Neural.ru_RU_alena !== undefined));
      Logger.write(String(VoiceList.Yandex.Neural.ru_RU_nobody));
      Logger.write(String(VoiceList.Nobody));
      done();
    `);
    expect(record.log).toEqual(['true', 'undefined', 'undefined']);
  });

  it('speaks in the named voice', async () => {
    const record = await session(
      dialAndPlay(`call.say('Привет', { voice: VoiceList.Google.ru_RU_Standard_A });`),
    );
    expect(record.calls[0]?.played).toEqual(['tts:Google.ru_RU_Standard_A:Привет']);
    expect(record.log).toEqual(['finished ok']);
  });

  it('speaks an unknown voice, a family or no voice in the English default, without an error', async () => {
    const record = await session(
      dialAndPlay(`
        call.say('один', { voice: VoiceList.Yandex.Neural.ru_RU_nobody });
        call.say('два', { voice: VoiceList.Yandex.Neural });
        call.say('три');
      `),
    );
    expect(record.calls[0]?.played).toEqual([
      'tts:Amazon.en_US_Joanna:один',
      'tts:Amazon.en_US_Joanna:два',
      'tts:Amazon.en_US_Joanna:три',
    ]);
    expect(record.log).toEqual(['finished ok']);
  });
});

describe('PlaybackFinished with an error', () => {
  it('a phone whose message fails: nothing plays, the event carries the error', async () => {
    const record = await session(
      dialAndPlay(`call.startPlayback('https://shop.example/a.mp3');`),
      'message-fails',
    );
    expect(record.calls[0]?.played).toEqual([]);
    expect(record.calls[0]?.failedPlays).toEqual([
      'https://shop.example/a.mp3 → Failed to load the media file',
    ]);
    expect(record.log).toEqual(['finished error: Failed to load the media file']);
  });

  it('a URL that is not HTTP(S), a text over 1500 characters', async () => {
    const url = await session(dialAndPlay(`call.startPlayback('ftp://shop.example/a.mp3');`));
    expect(url.log).toEqual(['finished error: Invalid URL']);
    const text = await session(
      dialAndPlay(`call.say('а'.repeat(1501), { voice: VoiceList.Yandex.Neural.ru_RU_alena });`),
    );
    expect(text.log).toEqual(['finished error: Text is too long']);
    expect(text.calls[0]?.played).toEqual([]);
  });
});

describe('Crypto.hmac_sha256, whose encodings Voximplant does not document', () => {
  const script = `Logger.write(Crypto.hmac_sha256('ключ', 'данные é')); done();`;
  it.each([
    [undefined, createHmac('sha256', Buffer.from('ключ')).update('данные é').digest('hex')],
    [
      { output: 'base64', text: 'latin1' } as const,
      createHmac('sha256', Buffer.from('ключ', 'latin1')).update('данные é', 'latin1').digest('base64'),
    ],
  ])('can be read as %o', async (hmac, expected) => {
    const record = await session(script, 'answers', hmac === undefined ? {} : { hmac });
    expect(record.log).toEqual([expected]);
  });
});
