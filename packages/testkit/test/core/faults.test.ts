import { afterEach, describe, expect, it, vi } from 'vitest';
import { Faults, type InjectedError, sendInjected } from '../../src/core/faults.js';
import { listenOnLoopback, type SimServer } from '../../src/core/loopback-server.js';

const DOWN: InjectedError = { status: 503, body: { error: 'down' } };
const TEAPOT: InjectedError = { status: 418, body: 'teapot', headers: { 'x-why': 'test' } };

describe('Faults', () => {
  it('lets every request through when nothing is configured', async () => {
    const faults = new Faults(DOWN);
    for (let i = 0; i < 20; i++) expect(await faults.next()).toBeUndefined();
  });

  it('fails exactly the next N requests with the default error, then recovers', async () => {
    const faults = new Faults(DOWN);
    faults.failNext(2);
    expect(await faults.next()).toBe(DOWN);
    expect(await faults.next()).toBe(DOWN);
    expect(await faults.next()).toBeUndefined();
  });

  it('queues a given error after the ones already pending', async () => {
    const faults = new Faults(DOWN);
    faults.failNext(1);
    faults.failNext(1, TEAPOT);
    expect(await faults.next()).toBe(DOWN);
    expect(await faults.next()).toBe(TEAPOT);
    expect(await faults.next()).toBeUndefined();
  });

  it('fails nothing at error rate 0 and everything at 1', async () => {
    const faults = new Faults(DOWN);
    faults.errorRate(0);
    for (let i = 0; i < 50; i++) expect(await faults.next()).toBeUndefined();
    faults.errorRate(1, TEAPOT);
    for (let i = 0; i < 50; i++) expect(await faults.next()).toBe(TEAPOT);
  });

  it('fails the fraction the injected random source picks', async () => {
    const draws = [0.1, 0.6, 0.29, 0.3];
    const faults = new Faults(DOWN, () => draws.shift() ?? 1);
    faults.errorRate(0.3);
    const results = [await faults.next(), await faults.next(), await faults.next(), await faults.next()];
    expect(results).toEqual([DOWN, undefined, DOWN, undefined]);
  });

  it('rejects nonsense settings', () => {
    const faults = new Faults(DOWN);
    expect(() => faults.errorRate(1.5)).toThrow(RangeError);
    expect(() => faults.failNext(-1)).toThrow(RangeError);
    expect(() => faults.latency(-5)).toThrow(RangeError);
  });

  it('fails every request during an outage, with reset by default, until switched off', async () => {
    const faults = new Faults(DOWN);
    faults.outage();
    expect(await faults.next()).toBe('reset');
    expect(await faults.next()).toBe('reset');
    faults.outage(false);
    expect(await faults.next()).toBeUndefined();
    faults.outage(true, TEAPOT);
    expect(await faults.next()).toBe(TEAPOT);
  });

  it('waits the latency before answering, and not a millisecond less', async () => {
    // Fake timers: nothing here depends on how fast or loaded the machine is.
    vi.useFakeTimers();
    try {
      const faults = new Faults(DOWN);
      faults.latency(60);
      let answered = false;
      const answer = faults.next().then((error) => {
        answered = true;
        return error;
      });
      await vi.advanceTimersByTimeAsync(59);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(answered).toBe(true);
      expect(await answer).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('reset() clears latency, rate, pending failures and outage', async () => {
    const faults = new Faults(DOWN);
    faults.latency(10_000);
    faults.errorRate(1);
    faults.failNext(3, TEAPOT);
    faults.outage();
    faults.reset();
    expect(await faults.next()).toBeUndefined();
  });

  it('is armed exactly while next() could delay or fail a request', async () => {
    const faults = new Faults(DOWN);
    expect(faults.armed).toBe(false);
    faults.failNext(1);
    expect(faults.armed).toBe(true);
    await faults.next();
    expect(faults.armed).toBe(false);
    for (const arm of [() => faults.latency(1), () => faults.errorRate(0.5), () => faults.outage()]) {
      arm();
      expect(faults.armed).toBe(true);
      faults.reset();
      expect(faults.armed).toBe(false);
    }
  });
});

describe('sendInjected', () => {
  let server: SimServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function serve(error: InjectedError): Promise<string> {
    server = await listenOnLoopback((_req, res) => sendInjected(res, error));
    return server.url;
  }

  it('writes a JSON error with its status', async () => {
    const res = await fetch(await serve(DOWN));
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: 'down' });
  });

  it('writes a text body and extra headers as given', async () => {
    const res = await fetch(await serve(TEAPOT));
    expect(res.status).toBe(418);
    expect(res.headers.get('x-why')).toBe('test');
    expect(await res.text()).toBe('teapot');
  });

  it('drops the connection for reset', async () => {
    await expect(fetch(await serve('reset'))).rejects.toThrow(TypeError);
  });
});

describe('sendInjected with a request body', () => {
  let server: SimServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers a large unread POST body and keeps serving', async () => {
    server = await listenOnLoopback((_req, res) => sendInjected(res, DOWN));
    for (let i = 0; i < 3; i++) {
      const res = await fetch(server.url, { method: 'POST', body: 'x'.repeat(200_000) });
      expect(res.status).toBe(503);
      await res.arrayBuffer();
    }
  });
});
