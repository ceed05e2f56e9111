import { PermanentError, TransientError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { type BatchAnswer, RestBatcher } from '../../src/rest-batcher.js';

const echo = (cmd: Record<string, string>): BatchAnswer => ({
  result: Object.fromEntries(Object.keys(cmd).map((id) => [id, id])),
  result_error: [],
});

/** A send that holds each batch until the test releases it, and records the signal it was given. */
function held() {
  const batches: { cmd: Record<string, string>; signal: AbortSignal; release(): void }[] = [];
  const send = (cmd: Record<string, string>, signal: AbortSignal) =>
    new Promise<BatchAnswer>((resolve, reject) => {
      batches.push({ cmd, signal, release: () => resolve(echo(cmd)) });
      signal.addEventListener('abort', () => reject(new TransientError('abandoned')), { once: true });
    });
  return { send, batches };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('RestBatcher: one caller never fails the others of its batch', () => {
  it('a command with a lone surrogate fails alone as a PermanentError; the rest of its batch goes through', async () => {
    const sent: Record<string, string>[] = [];
    const rest = new RestBatcher(async (cmd) => {
      sent.push(cmd);
      return echo(cmd);
    });
    const calls = [
      rest.run({ method: 'crm.lead.add', params: { fields: { NAME: 'Анна' } } }),
      rest.run({ method: 'crm.lead.add', params: { fields: { NAME: '\ud800' } } }),
      rest.run({ method: 'crm.lead.add', params: { fields: { NAME: 'Иван' } } }),
    ];
    const [first, bad, third] = await Promise.allSettled(calls);
    expect(first).toEqual({ status: 'fulfilled', value: 'c0' });
    expect(third).toEqual({ status: 'fulfilled', value: 'c2' });
    expect(bad?.status).toBe('rejected');
    const reason = (bad as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(PermanentError);
    expect(reason.message).toContain('crm.lead.add');
    // The bad command never reached the portal; the good ones left together.
    expect(sent.map((cmd) => Object.keys(cmd))).toEqual([['c0', 'c2']]);
  });

  it('a caller whose deadline passes while its batch is out rejects at once; the others get their answers', async () => {
    const { send, batches } = held();
    const rest = new RestBatcher(send);
    const deadline = new AbortController();
    const mine = rest.run({ method: 'a', params: {} }, deadline.signal);
    const theirs = rest.run({ method: 'b', params: {} });
    await turn();
    expect(batches).toHaveLength(1);
    deadline.abort();
    const error = await mine.then(
      () => expect.unreachable('the call should have been abandoned'),
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/deadline passed/);
    // The batch was not abandoned: another caller still waits for it.
    expect(batches[0]?.signal.aborted).toBe(false);
    batches[0]?.release();
    expect(await theirs).toBe('c1');
  });

  it('a queued caller whose deadline passes leaves the queue and is never sent', async () => {
    const { send, batches } = held();
    const rest = new RestBatcher(send, 1);
    const first = rest.run({ method: 'first', params: {} });
    await turn();
    const deadline = new AbortController();
    const queued = rest.run({ method: 'queued', params: {} }, deadline.signal);
    const other = rest.run({ method: 'other', params: {} });
    deadline.abort();
    await expect(queued).rejects.toBeInstanceOf(TransientError);
    batches[0]?.release();
    expect(await first).toBe('c0');
    await turn();
    batches[1]?.release();
    expect(await other).toBe('c2');
    expect(batches.map((b) => Object.values(b.cmd))).toEqual([['first'], ['other']]);
  });

  it('a batch every caller has left is abandoned, and frees its slot for the next', async () => {
    const { send, batches } = held();
    const rest = new RestBatcher(send, 1);
    const deadline = new AbortController();
    const hung = [
      rest.run({ method: 'a', params: {} }, deadline.signal),
      rest.runGroup([{ method: 'b', params: {} }], deadline.signal),
    ];
    await turn();
    const next = rest.run({ method: 'next', params: {} });
    deadline.abort();
    const settled = await Promise.allSettled(hung);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(batches[0]?.signal.aborted).toBe(true);
    await turn();
    batches[1]?.release();
    expect(await next).toBe('c2');
  });

  it('a signal that has already aborted sends nothing', async () => {
    const { send, batches } = held();
    const rest = new RestBatcher(send);
    await expect(rest.run({ method: 'a', params: {} }, AbortSignal.abort())).rejects.toBeInstanceOf(
      TransientError,
    );
    await turn();
    expect(batches).toEqual([]);
  });
});
