import { AMD_MODELS as STANDIN_MODELS, VOICE_NAMES as STANDIN_VOICES } from '@prozvon/testkit';
import { describe, expect, it } from 'vitest';
import { AmdSettings, MessageSpec } from '../../src/protocol/call-plan.js';
import { AMD_MODELS, VOICE_NAMES } from '../../src/protocol/index.js';

// Both copies are written by scripts/voxengine-lists.mjs from the same typings: the server checks
// against the very lists the stand-in enforces.
describe('VoxEngine lists', () => {
  it('are the same in the adapter and in the testkit’s stand-in', () => {
    expect([...AMD_MODELS]).toEqual([...STANDIN_MODELS]);
    expect([...VOICE_NAMES].sort()).toEqual([...STANDIN_VOICES].sort());
  });

  it('take the voices VOXIMPLANT.md recommends for Russian, and the default model ru', () => {
    for (const voice of [
      'Yandex.Neural.ru_RU_alena',
      'Yandex.Neural.ru_RU_filipp',
      'Google.ru_RU_Standard_A',
      'SaluteSpeech.ru_RU_natalia',
      'TBank.ru_RU_Anna',
    ])
      expect(MessageSpec.safeParse({ kind: 'tts', text: 'Привет', voice }).success, voice).toBe(true);
    expect(AmdSettings.parse({ enabled: true })).toEqual({ enabled: true, model: 'ru', timeoutMs: 6500 });
  });
});
