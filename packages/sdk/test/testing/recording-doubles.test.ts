import { describe, expect, it } from 'vitest';
import { TransientError } from '../../src/ports/index.js';
import { RecordingSms, RecordingVoice } from '../../src/testing/index.js';

const request = {
  key: 'lead:1:dial:1',
  leadId: '1',
  attempt: 1,
  phone: '+79161234567',
  scenarioId: 's',
  callerId: '+74950000000',
  customerName: 'Иван',
};

describe('recording doubles and a call deadline', () => {
  it('a held call is abandoned as a TransientError when its signal aborts, and records nothing', async () => {
    const voice = new RecordingVoice();
    voice.delayMs = 60_000;
    const deadline = new AbortController();
    const call = voice.startCall(request, { signal: deadline.signal });
    deadline.abort(new Error('deadline'));
    await expect(call).rejects.toBeInstanceOf(TransientError);
    expect(voice.started).toEqual([]);
  });

  it('a signal that already aborted fails the call at once', async () => {
    const sms = new RecordingSms();
    const signal = AbortSignal.abort();
    await expect(sms.send({ key: 'k', phone: '+79161234567', text: 'hi' }, { signal })).rejects.toThrow(
      /deadline passed/,
    );
    expect(sms.sent).toEqual([]);
  });

  it('a call without a signal behaves as before', async () => {
    const voice = new RecordingVoice();
    expect(await voice.startCall(request)).toEqual({ sessionId: 'session-1' });
  });
});
