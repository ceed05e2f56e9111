import { describe, expect, it } from 'vitest';
import { type PhonePreset, resolvePhone, runScenario, type VirtualPhone } from '../../src/index.js';
import { startReceiver, TEST_SCENARIO } from './helpers.js';

async function run(
  phone: VirtualPhone | PhonePreset,
  extra: Record<string, unknown> = {},
  timeScale = 0.005,
) {
  const receiver = await startReceiver();
  const session = runScenario({
    scenarioSource: TEST_SCENARIO,
    customData: JSON.stringify({ number: '79160000001', url: receiver.url, ...extra }),
    sessionId: 1,
    phoneFor: () => resolvePhone(phone),
    timeScale,
  });
  const record = await session.done;
  return { record, report: receiver.reports[0] };
}

describe('the VoxEngine stand-in with virtual phones', () => {
  it.each([
    ['no-answer', 408, 'Request Timeout'],
    ['busy', 486, 'Busy Here'],
    ['switched-off', 480, 'Temporarily Unavailable'],
    ['does-not-exist', 404, 'Not Found'],
    ['insufficient-funds', 402, 'Insufficient funds'],
    ['call-forbidden', 403, 'Forbidden'],
  ] as const)('%s fails the call with %i', async (preset, code, reason) => {
    const { record, report } = await run(preset);
    expect(report).toMatchObject({ seen: ['Ringing', 'Failed'], code, reason });
    expect(record.calls[0]).toMatchObject({
      successful: false,
      failureCode: code,
      endReason: `${code} ${reason}`,
    });
  });

  it.each([
    ['answering-machine', ['Ringing', 'Connected', 'AMD:VOICEMAIL', 'Disconnected']],
    ['drops', ['Ringing', 'Connected', 'AMD:CALL_ENDED', 'Disconnected']],
    ['amd-timeout', ['Ringing', 'Connected', 'AMD:TIMEOUT', 'PlaybackFinished', 'Disconnected']],
    ['slow-to-answer', ['Ringing', 'Connected', 'AMD:HUMAN', 'PlaybackFinished', 'Disconnected']],
    ['hangs-up-mid-message', ['Ringing', 'Connected', 'AMD:HUMAN', 'Disconnected']],
  ] as const)('%s: %j', async (preset, seen) => {
    const { report } = await run(preset);
    expect(report?.seen).toEqual(seen);
  });

  it('gives the detector the verdict TIMEOUT when it decides later than the scenario waits', async () => {
    const { report } = await run({ answer: 'machine', amdMs: 3_000 }, { amdTimeout: 1_000 });
    expect(report?.seen).toContain('AMD:TIMEOUT');
  });

  it('reports duration in virtual seconds: ring 3 s, verdict 1.5 s, message 4 s', async () => {
    // At 1/100 speed a millisecond of scheduling jitter is a tenth of a virtual second.
    const { report } = await run('answers', {}, 0.01);
    expect(report?.duration).toBeGreaterThanOrEqual(5);
    expect(report?.duration).toBeLessThanOrEqual(10);
  });

  it('loses a never-calls-back session when its call ends: no report leaves', async () => {
    const { record, report } = await run('never-calls-back');
    expect(record.finishReason).toBe('Internal error');
    expect(report).toBeUndefined();
    expect(record.calls[0]?.successful).toBe(true);
  });

  it('ends a scenario that throws as a JS session error', async () => {
    const session = runScenario({
      scenarioSource:
        'VoxEngine.addEventListener(AppEvents.Started, () => VoxEngine.callPSTN("+7 916", "1"));',
      customData: '',
      sessionId: 2,
      phoneFor: () => resolvePhone('answers'),
    });
    const record = await session.done;
    expect(record.finishReason).toBe('JS session error');
    expect(record.log.join('\n')).toContain('callPSTN: number must be E.164 digits');
  });

  it('never lets a scenario reach beyond loopback (VoxEngine code -3)', async () => {
    const session = runScenario({
      scenarioSource: `VoxEngine.addEventListener(AppEvents.Started, async () => {
        const r = await Net.httpRequestAsync('https://example.com/x', { method: 'POST', postData: '{}' });
        Logger.write('code ' + r.code);
        VoxEngine.terminate();
      });`,
      customData: '',
      sessionId: 3,
      phoneFor: () => resolvePhone('answers'),
    });
    const record = await session.done;
    expect(record.log).toEqual(['code -3']);
    expect(record.requests[0]).toMatchObject({ url: 'https://example.com/x', code: -3 });
  });

  it('ends a session that never terminates after maxSessionMs, and fires nothing afterwards', async () => {
    const session = runScenario({
      scenarioSource: `VoxEngine.addEventListener(AppEvents.Started, () => {
        setTimeout(() => Logger.write('late timer'), 10000);
      });`,
      customData: '',
      sessionId: 4,
      phoneFor: () => resolvePhone('answers'),
      timeScale: 0.001,
      maxSessionMs: 1000,
    });
    const record = await session.done;
    expect(record.finishReason).toBe('Timeout');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(record.log).toEqual([]);
  });

  it('runs Terminating listeners on terminate() and nothing after', async () => {
    const session = runScenario({
      scenarioSource: `VoxEngine.addEventListener(AppEvents.Started, () => {
        VoxEngine.addEventListener(AppEvents.Terminating, () => Logger.write('terminating'));
        setTimeout(() => Logger.write('too late'), 1);
        VoxEngine.terminate();
        Logger.write('after terminate');
      });`,
      customData: '',
      sessionId: 5,
      phoneFor: () => resolvePhone('answers'),
    });
    const record = await session.done;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(record.log).toEqual(['terminating', 'after terminate']);
    expect(record.finishReason).toBe('Normal termination');
  });

  it('allows one request in Terminating and waits for it before the session ends', async () => {
    const receiver = await startReceiver();
    const session = runScenario({
      scenarioSource: `VoxEngine.addEventListener(AppEvents.Started, () => {
        VoxEngine.addEventListener(AppEvents.Terminating, () => {
          Net.httpRequestAsync(${JSON.stringify(receiver.url)}, { method: 'POST', postData: '{"seen":["last"]}' })
            .then((r) => Logger.write('first ' + r.code));
          Net.httpRequestAsync(${JSON.stringify(receiver.url)}, { method: 'POST', postData: '{}' })
            .then((r) => Logger.write('second ' + r.code));
        });
        VoxEngine.addEventListener(AppEvents.Terminated, () => Logger.write('terminated'));
      });`,
      customData: '',
      sessionId: 6,
      phoneFor: () => resolvePhone('answers'),
      timeScale: 0.001,
      maxSessionMs: 1000,
    });
    const record = await session.done;
    expect(record.finishReason).toBe('Timeout');
    expect(receiver.reports).toEqual([{ seen: ['last'] }]);
    expect(record.requests.map((r) => r.code)).toEqual([200, 0]);
    expect(record.log).toContain('terminated');
  });
});
