import { describe, expect, it } from 'vitest';
import { createProzvon, type ProzvonOptions, silentLogger } from '../../src/index.js';
import type { VoicePort } from '../../src/ports/index.js';
import {
  MemoryLeadStore,
  RecordingCrm,
  RecordingNotifier,
  RecordingSms,
  RecordingVoice,
} from '../../src/testing/index.js';

// Issue 14, point 2: a voice adapter whose provider calls back but that has no callback handler
// used to be accepted, and the first real call's plan request was answered 404. Now createProzvon
// refuses it, naming what is missing.
function options(overrides: Partial<Record<keyof ProzvonOptions, unknown>> = {}): ProzvonOptions {
  return {
    store: new MemoryLeadStore(),
    crm: new RecordingCrm(),
    voice: new RecordingVoice(),
    sms: new RecordingSms(),
    notifier: new RecordingNotifier(),
    logger: silentLogger(),
    ...overrides,
  } as ProzvonOptions;
}

/** A provider that calls back, as a shop's logging wrapper that kept only the two methods makes it. */
function wrappedWithoutCallbacks(): VoicePort {
  const inner = new RecordingVoice();
  return {
    needsCallbacks: true,
    startCall: (request, callOptions) => inner.startCall(request, callOptions),
    findCall: (key, callOptions) => inner.findCall(key, callOptions),
  };
}

describe('createProzvon checks its adapters', () => {
  it('refuses a voice port that needs callbacks and has no handler, naming voice.handleCallback', () => {
    expect(() => createProzvon(options({ voice: wrappedWithoutCallbacks() }))).toThrow(
      /^createProzvon: voice\.handleCallback: missing.*needsCallbacks/,
    );
  });

  it('takes a voice port that needs callbacks and answers them', () => {
    const voice: VoicePort = {
      ...wrappedWithoutCallbacks(),
      handleCallback: async () => new Response(null, { status: 204 }),
    };
    expect(() => createProzvon(options({ voice }))).not.toThrow();
  });

  it('finds the handler and the flag on a class, own or on its prototype', () => {
    class CallingBack extends RecordingVoice {
      readonly needsCallbacks = true;
      async handleCallback() {
        return new Response(null, { status: 204 });
      }
    }
    class SaysSoOnly extends RecordingVoice {
      get needsCallbacks() {
        return true;
      }
    }
    expect(() => createProzvon(options({ voice: new CallingBack() }))).not.toThrow();
    expect(() => createProzvon(options({ voice: new SaysSoOnly() }))).toThrow(
      /voice\.handleCallback: missing/,
    );
  });

  it('takes a voice port with no callbacks that says it needs none', () => {
    expect(() => createProzvon(options())).not.toThrow();
  });

  it('names each missing adapter or method, one per field', () => {
    expect(() => createProzvon(options({ sms: undefined, crm: 'bitrix', voice: {} }))).toThrow(
      'createProzvon: crm: expected the CRM adapter (a CrmPort); voice.startCall: expected a function; ' +
        'voice.findCall: expected a function; sms: expected the SMS adapter (an SmsPort)',
    );
  });
});
