import { createBitrix24Crm } from '@prozvon/adapters-bitrix24';
import { describe, expect, it } from 'vitest';
import { PortalRests } from '../../src/b24/portal-rests.js';
import { crmAuthForPortal } from '../../src/oauth/crm-auth.js';
import { PortalClients } from '../../src/oauth/portal-clients.js';
import { PortalTokenRefresher } from '../../src/oauth/token-refresher.js';
import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';
import type { Portal } from '../../src/portals/portal-store.js';
import { MemoryRestLog } from '../../src/rest-log/memory-rest-log.js';
import { recordRestCalls } from '../../src/rest-log/record-rest-calls.js';
import { RestLogWriter } from '../../src/rest-log/rest-log-writer.js';
import { installPortal, useSim } from '../oauth/sim-portal.js';

const newSim = useSim();

describe('recordRestCalls: every REST request of a portal, both paths, secrets redacted', () => {
  it("records the app's calls and the CRM adapter's batches per portal, with outcome and status", async () => {
    const env = await newSim();
    const store = new MemoryPortalStore();
    const log = new MemoryRestLog();
    const errors: unknown[] = [];
    const writer = new RestLogWriter(log, { onError: (error) => errors.push(error) });
    const refresher = new PortalTokenRefresher({ store, app: env.app, clock: env.clock });
    const clients = new PortalClients({
      refresher,
      app: env.app,
      clock: env.clock,
      onClient: (client, portal) =>
        recordRestCalls(
          client,
          portal.memberId,
          (entry) => writer.record(entry),
          () => env.clock.now(),
        ),
    });
    const rests = new PortalRests(store, clients);
    const a = await installPortal(env, store, 'a');
    const b = await installPortal(env, store, 'b');
    const crm = createBitrix24Crm({
      auth: crmAuthForPortal(a, clients, (memberId) => store.getByMemberId(memberId)),
    });

    await (await rests.forPortal(a.memberId)).call('crm.lead.list', { filter: { ID: 1 }, select: ['ID'] });
    await expect((await rests.forPortal(a.memberId)).call('no.such.method')).rejects.toThrow();
    expect(await crm.findLeadByKey('lead-1')).toBeNull();
    // The token expires: the portal answers expired_token, the client refreshes and repeats.
    env.clock.advance(2 * 3_600_000);
    await (await rests.forPortal(a.memberId)).call('crm.lead.list', { filter: { ID: 2 } });
    await (await rests.forPortal(b.memberId)).call('crm.lead.list', { filter: { ID: 3 } });
    await writer.flush();

    const rowsA = (await log.list(a.memberId, { limit: 50 })).reverse();
    expect(rowsA.map((row) => [row.method, row.status, row.outcome])).toEqual([
      ['crm.lead.list', 200, 'ok'],
      ['no.such.method', 404, 'ERROR_METHOD_NOT_FOUND'],
      ['batch', 200, 'ok'],
      ['crm.lead.list', 401, 'expired_token'],
      ['crm.lead.list', 200, 'ok'],
    ]);
    expect(JSON.parse(rowsA[0]?.params ?? '')).toEqual({
      filter: { ID: 1 },
      select: ['ID'],
      auth: '[redacted]',
    });
    expect(JSON.parse(rowsA[0]?.answer ?? '')).toMatchObject({ result: [] });
    expect(JSON.parse(rowsA[2]?.params ?? '').cmd).toBeDefined();
    for (const row of rowsA) expect(row.durationMs).toBeGreaterThanOrEqual(0);
    // The other portal's one call (its token expired too: sent twice) is its own, and only there.
    const params = JSON.stringify({ filter: { ID: 3 }, auth: '[redacted]' });
    expect((await log.list(b.memberId, { limit: 50 })).map((row) => [row.outcome, row.params])).toEqual([
      ['ok', params],
      ['expired_token', params],
    ]);

    // No token, old or refreshed, nor the app's secret, anywhere in what was stored.
    const refreshed = (await store.getByMemberId(a.memberId)) as Portal;
    expect(refreshed.tokenVersion).toBeGreaterThan(a.tokenVersion);
    const secrets = [a, b, refreshed].flatMap((portal) => [
      portal.tokens?.accessToken ?? '',
      portal.tokens?.refreshToken ?? '',
      portal.applicationToken ?? '',
    ]);
    secrets.push(env.app.clientSecret);
    const stored = JSON.stringify([...rowsA, ...(await log.list(b.memberId, { limit: 50 }))]);
    expect(secrets.filter((secret) => secret.length < 8)).toEqual([]);
    expect(secrets.filter((secret) => stored.includes(secret))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
