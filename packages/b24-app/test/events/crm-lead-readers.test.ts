import { describe, expect, it } from 'vitest';
import type { PortalRest, PortalRestSource } from '../../src/b24/portal-rest.js';
import { CrmLeadReaders } from '../../src/events/crm-lead-readers.js';

// A reader per portal was kept for every portal that ever sent an ONCRMLEADADD (a map in app.ts
// nothing pruned): with 1,000 portals, 1,000 readers for the life of the process. A reader is
// kept only while it has reads in progress.

/** The ids a `crm.lead.list` asks for (`filter['@ID']`). */
function idsAsked(params: Readonly<Record<string, unknown>> | undefined): string[] {
  const filter = params?.filter as { '@ID'?: string[] } | undefined;
  return filter?.['@ID'] ?? [];
}

/** Every portal's `crm.lead.list` answers the ids asked with a lead each; the calls are counted. */
function portalsAnswering(): PortalRestSource & { calls: Map<string, number> } {
  const calls = new Map<string, number>();
  return {
    calls,
    async forPortal(memberId: string): Promise<PortalRest> {
      return {
        async call<T>(method: string, params?: Readonly<Record<string, unknown>>): Promise<T> {
          expect(method).toBe('crm.lead.list');
          calls.set(memberId, (calls.get(memberId) ?? 0) + 1);
          const ids = idsAsked(params);
          return ids.map((ID) => ({ ID, NAME: `lead ${ID} of ${memberId}` })) as T;
        },
      };
    },
  };
}

/** The reader lets itself go just after answering its last read: a turn of the event loop later. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('CrmLeadReaders', () => {
  it('lets a portal’s reader go once its reads are answered: 300 portals read once, none kept', async () => {
    const rest = portalsAnswering();
    const readers = new CrmLeadReaders(rest, 5);
    const leads = await Promise.all(
      Array.from({ length: 300 }, (_, i) => readers.of(`member${i}`).read(String(i + 1))),
    );
    expect(leads.map((lead) => lead?.ID)).toEqual(Array.from({ length: 300 }, (_, i) => String(i + 1)));
    await turn();
    expect(readers.size).toBe(0);
  });

  it('still gathers the reads of one window into one request, before and after letting go', async () => {
    const rest = portalsAnswering();
    const readers = new CrmLeadReaders(rest, 5);
    const first = await Promise.all(['1', '2', '3'].map((id) => readers.of('shop').read(id)));
    expect(first.map((lead) => lead?.NAME)).toEqual(['lead 1 of shop', 'lead 2 of shop', 'lead 3 of shop']);
    expect(rest.calls.get('shop')).toBe(1);
    await turn();
    expect(readers.size).toBe(0);
    const second = await Promise.all(['4', '5'].map((id) => readers.of('shop').read(id)));
    expect(second.map((lead) => lead?.ID)).toEqual(['4', '5']);
    expect(rest.calls.get('shop')).toBe(2);
    await turn();
    expect(readers.size).toBe(0);
  });

  it('keeps a reader that was asked again while it was answering', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const readers = new CrmLeadReaders(
      {
        async forPortal() {
          return {
            async call<T>(_method: string, params?: Readonly<Record<string, unknown>>): Promise<T> {
              await held;
              return idsAsked(params).map((ID) => ({ ID })) as T;
            },
          };
        },
      },
      5,
    );
    const first = readers.of('shop').read('1');
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first request is out
    const second = readers.of('shop').read('2');
    release();
    expect((await first)?.ID).toBe('1');
    expect(readers.size).toBe(1); // '2' is still gathering
    expect((await second)?.ID).toBe('2');
    await turn();
    expect(readers.size).toBe(0);
  });
});
