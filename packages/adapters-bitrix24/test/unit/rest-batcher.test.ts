import { AuthError, TransientError } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { type BatchAnswer, RestBatcher, resultOf } from '../../src/rest-batcher.js';

/** A send that records each batch and answers every command with its own id, after a turn. */
function recorder(answer: (cmd: Record<string, string>) => BatchAnswer = echo) {
  const batches: Record<string, string>[] = [];
  let open = 0;
  let maxOpen = 0;
  const send = async (cmd: Record<string, string>) => {
    batches.push(cmd);
    open++;
    maxOpen = Math.max(maxOpen, open);
    await new Promise((resolve) => setTimeout(resolve, 5));
    open--;
    return answer(cmd);
  };
  return { send, batches, maxOpen: () => maxOpen };
}

const echo = (cmd: Record<string, string>): BatchAnswer => ({
  result: Object.fromEntries(Object.keys(cmd).map((id) => [id, id])),
  result_error: [],
});

describe('RestBatcher', () => {
  it('sends a lone command at once, as a one-command batch', async () => {
    const { send, batches } = recorder();
    const rest = new RestBatcher(send);
    expect(await rest.run({ method: 'crm.lead.get', params: { id: 5 } })).toBe('c0');
    expect(batches).toEqual([{ c0: 'crm.lead.get?id=5' }]);
  });

  it('coalesces commands issued together, and those queued while requests are out', async () => {
    const { send, batches, maxOpen } = recorder();
    const rest = new RestBatcher(send, 1);
    const first = Array.from({ length: 3 }, (_, i) => rest.run({ method: 'm', params: { i } }));
    await new Promise((resolve) => setImmediate(resolve));
    // The first batch is out; these wait for it and then leave together.
    const later = Array.from({ length: 4 }, (_, i) => rest.run({ method: 'n', params: { i } }));
    await Promise.all([...first, ...later]);
    expect(batches.map((b) => Object.keys(b).length)).toEqual([3, 4]);
    expect(maxOpen()).toBe(1);
  });

  it('keeps up to maxInFlight batches out at once', async () => {
    const { send, batches, maxOpen } = recorder();
    const rest = new RestBatcher(send, 2);
    await Promise.all(Array.from({ length: 60 }, (_, i) => rest.run({ method: 'm', params: { i } })));
    expect(batches.map((b) => Object.keys(b).length)).toEqual([50, 10]);
    expect(maxOpen()).toBe(2);
  });

  it('keeps at most 50 commands per batch and never splits a group', async () => {
    const { send, batches } = recorder();
    const rest = new RestBatcher(send, 1);
    const singles = Array.from({ length: 49 }, (_, i) => rest.run({ method: 'm', params: { i } }));
    const group = rest.runGroup([
      { method: 'a', params: {} },
      { method: 'b', params: {} },
    ]);
    await Promise.all([...singles, group]);
    expect(batches.map((b) => Object.keys(b).length)).toEqual([49, 2]);
    await expect(
      rest.runGroup(Array.from({ length: 51 }, () => ({ method: 'm', params: {} }))),
    ).rejects.toThrow(RangeError);
  });

  it('rewrites a group reference to the id its command got in the batch', async () => {
    const { send, batches } = recorder();
    const rest = new RestBatcher(send);
    await rest.run({ method: 'x', params: {} });
    await rest.runGroup([
      { method: 'register', params: {} },
      { method: 'finish', params: { CALL_ID: resultOf(0, 'CALL_ID'), NOTE: 'kept $result[#7]' } },
    ]);
    expect(batches[1]).toEqual({
      c1: 'register',
      c2: `finish?CALL_ID=${encodeURIComponent('$result[c1][CALL_ID]')}&NOTE=${encodeURIComponent('kept $result[#7]')}`,
    });
  });

  it('gives each command its own outcome', async () => {
    const { send } = recorder((cmd) => {
      const [ok, bad, missing] = Object.keys(cmd);
      void missing;
      return {
        result: { [ok ?? '']: { ID: 1 } },
        result_error: { [bad ?? '']: { error: 'ERROR_CORE', error_description: 'nope' } },
      };
    });
    const rest = new RestBatcher(send);
    const outcomes = await rest.runGroup([
      { method: 'a', params: {} },
      { method: 'b', params: {} },
      { method: 'c', params: {} },
    ]);
    expect(outcomes[0]).toEqual({ ok: true, result: { ID: 1 } });
    expect(outcomes[1]).toMatchObject({ ok: false, error: { message: 'Bitrix24 ERROR_CORE: nope' } });
    expect(outcomes[2]).toMatchObject({ ok: false, error: expect.any(TransientError) });
  });

  it('rejects every group of a batch whose request failed, and goes on with the next', async () => {
    let calls = 0;
    const rest = new RestBatcher(async (cmd) => {
      calls++;
      if (calls === 1) throw new AuthError('revoked');
      return echo(cmd);
    }, 1);
    const failed = [rest.run({ method: 'a', params: {} }), rest.runGroup([{ method: 'b', params: {} }])];
    const results = await Promise.allSettled(failed);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(AuthError);
    expect(await rest.run({ method: 'c', params: {} })).toBe('c2');
  });

  it('maps a non-PortError thrown by the transport', async () => {
    const rest = new RestBatcher(async () => {
      throw new Error('socket hang up');
    });
    await expect(rest.run({ method: 'a', params: {} })).rejects.toBeInstanceOf(TransientError);
    expect(await rest.runGroup([])).toEqual([]);
  });
});
