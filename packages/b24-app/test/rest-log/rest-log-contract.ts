import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RestLog, RestLogEntry } from '../../src/rest-log/rest-log.js';

export const T0 = Date.UTC(2026, 11, 7, 8, 0, 0);

export const entry = (memberId: string, at: number, over: Partial<RestLogEntry> = {}): RestLogEntry => ({
  memberId,
  at,
  method: 'crm.lead.list',
  params: '{"filter":{"ID":1},"auth":"[redacted]"}',
  status: 200,
  outcome: 'ok',
  answer: '{"result":[]}',
  durationMs: 12,
  ...over,
});

/** The RestLog contract, run against every implementation. */
export function restLogContract(name: string, open: () => RestLog | Promise<RestLog>): void {
  describe(`RestLog contract: ${name}`, () => {
    let log: RestLog;
    beforeEach(async () => {
      log = await open();
    });
    afterEach(async () => {
      await log.close();
    });

    it('keeps every field, and lists one portal newest first', async () => {
      await log.append([
        entry('member-a', T0, { method: 'event.bind', status: 400, outcome: 'ERROR_CORE', answer: '' }),
        entry('member-a', T0 + 1),
      ]);
      await log.append([entry('member-a', T0 + 2, { method: 'batch', durationMs: 301 })]);
      const rows = await log.list('member-a', { limit: 10 });
      expect(rows.map((row) => [row.method, row.at])).toEqual([
        ['batch', T0 + 2],
        ['crm.lead.list', T0 + 1],
        ['event.bind', T0],
      ]);
      expect(rows[2]).toEqual({
        ...entry('member-a', T0, { method: 'event.bind', status: 400, outcome: 'ERROR_CORE', answer: '' }),
        id: expect.any(Number),
      });
      expect(rows[0]?.durationMs).toBe(301);
    });

    it("never shows one portal another's rows", async () => {
      await log.append([entry('member-a', T0), entry('member-b', T0 + 1), entry('member-a', T0 + 2)]);
      expect((await log.list('member-a', { limit: 10 })).map((row) => row.memberId)).toEqual([
        'member-a',
        'member-a',
      ]);
      expect((await log.list('member-b', { limit: 10 })).map((row) => row.at)).toEqual([T0 + 1]);
      expect(await log.list('member-c', { limit: 10 })).toEqual([]);
    });

    it('pages by id: limit, then the rows before the last one seen', async () => {
      await log.append(Array.from({ length: 5 }, (_, i) => entry('member-a', T0 + i)));
      await log.append([entry('member-b', T0 + 10)]);
      const first = await log.list('member-a', { limit: 2 });
      expect(first.map((row) => row.at)).toEqual([T0 + 4, T0 + 3]);
      const second = await log.list('member-a', { limit: 2, beforeId: first[1]?.id ?? 0 });
      expect(second.map((row) => row.at)).toEqual([T0 + 2, T0 + 1]);
      const third = await log.list('member-a', { limit: 2, beforeId: second[1]?.id ?? 0 });
      expect(third.map((row) => row.at)).toEqual([T0]);
    });

    it('prunes rows older than the cut-off, oldest first, at most `limit` at a time, every portal', async () => {
      await log.append([
        entry('member-a', T0 + 3),
        entry('member-b', T0 + 1),
        entry('member-a', T0),
        entry('member-b', T0 + 2),
        entry('member-a', T0 + 10), // young enough to stay
      ]);
      expect(await log.prune(T0 + 5, 2)).toBe(2);
      // The two oldest went, whichever portal they were of.
      expect((await log.list('member-a', { limit: 10 })).map((row) => row.at)).toEqual([T0 + 10, T0 + 3]);
      expect((await log.list('member-b', { limit: 10 })).map((row) => row.at)).toEqual([T0 + 2]);
      expect(await log.prune(T0 + 5, 2)).toBe(2);
      expect(await log.prune(T0 + 5, 2)).toBe(0);
      expect((await log.list('member-a', { limit: 10 })).map((row) => row.at)).toEqual([T0 + 10]);
      expect(await log.list('member-b', { limit: 10 })).toEqual([]);
    });
  });
}
