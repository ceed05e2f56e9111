import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/rest-log/rest-log-pruner.js';
import { SqliteRestLog } from '../../src/rest-log/sqlite-rest-log.js';
import { type AppFixture, startAppFixture } from '../app/app-fixture.js';
import { eventually } from '../app/app-requests.js';
import { api, type Caller, userToken } from './api-client.js';

// GET /api/portal/rest-log: the portal's REST requests and answers for support, administrators
// only, one portal's rows only, secrets redacted.
let fixture: AppFixture;
let admin: Caller;
let seller: Caller;
let other: Caller;

beforeAll(async () => {
  fixture = await startAppFixture({ portals: ['shop', 'other'] });
  const { sim } = fixture;
  // The real install flow: the token exchange, then the binds through the portal's client.
  await fixture.install('shop');
  await fixture.install('other');
  sim.portal('shop').addUser({ id: 2 });
  admin = { token: await userToken(fixture, { portal: 'shop' }), memberId: sim.portal('shop').memberId };
  seller = {
    token: await userToken(fixture, { portal: 'shop', userId: 2 }),
    memberId: sim.portal('shop').memberId,
  };
  other = { token: await userToken(fixture, { portal: 'other' }), memberId: sim.portal('other').memberId };
  await fixture.app.idle();
  await fixture.app.flushRestLog();
}, 60_000);
afterAll(async () => fixture?.close());

describe('GET /api/portal/rest-log', () => {
  it("shows an administrator their portal's requests, newest first, redacted, and pages on", async () => {
    const all = await fixture.app.restLog.list(admin.memberId, { limit: 200 });
    expect(all.length).toBeGreaterThan(3);
    const page = await api(fixture, admin, 'GET', '/api/portal/rest-log?limit=3');
    expect(page.status).toBe(200);
    expect(page.body.entries.map((e: { id: number }) => e.id)).toEqual(all.slice(0, 3).map((row) => row.id));
    expect(page.body.entries[0]).toMatchObject({
      method: expect.any(String),
      status: expect.any(Number),
      outcome: expect.any(String),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(page.body.next).toBe(String(all[2]?.id));
    const next = await api(fixture, admin, 'GET', `/api/portal/rest-log?limit=3&before=${page.body.next}`);
    expect(next.body.entries.map((e: { id: number }) => e.id)).toEqual(all.slice(3, 6).map((row) => row.id));
    // The install bound its events through this portal's client: recorded, the token blotted out.
    const binds = all.filter((row) => row.method === 'event.bind');
    expect(binds.length).toBeGreaterThan(0);
    expect(JSON.parse(binds[0]?.params ?? '{}').auth).toBe('[redacted]');
    const portal = await fixture.app.portals.getByMemberId(admin.memberId);
    const whole = await api(fixture, admin, 'GET', '/api/portal/rest-log?limit=200');
    for (const secret of [
      portal?.tokens?.accessToken,
      portal?.tokens?.refreshToken,
      portal?.applicationToken,
    ])
      expect(whole.text).not.toContain(secret);
  });

  it("never shows one portal's rows to another", async () => {
    const mine = await api(fixture, admin, 'GET', '/api/portal/rest-log?limit=200');
    const theirs = await api(fixture, other, 'GET', '/api/portal/rest-log?limit=200');
    expect(theirs.status).toBe(200);
    const ids = (body: { entries: { id: number }[] }) => body.entries.map((e) => e.id);
    expect(ids(theirs.body).length).toBeGreaterThan(0);
    expect(ids(theirs.body).filter((id) => ids(mine.body).includes(id))).toEqual([]);
    expect(ids(theirs.body)).toEqual(
      (await fixture.app.restLog.list(other.memberId, { limit: 200 })).map((row) => row.id),
    );
  });

  it('refuses a user who is not an administrator, and no one at all; names a bad parameter', async () => {
    expect((await api(fixture, seller, 'GET', '/api/portal/rest-log')).status).toBe(403);
    expect((await api(fixture, null, 'GET', '/api/portal/rest-log')).status).toBe(401);
    const bad = await api(fixture, admin, 'GET', '/api/portal/rest-log?limit=5000');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.issues)).toContain('limit');
  });
});

describe('the REST log kept for its retention', () => {
  it('startApp prunes rows past PROZVON_REST_LOG_DAYS (3 by default), and keeps younger ones', async () => {
    await fixture.app.stop();
    const log = new SqliteRestLog(fixture.config.databasePath);
    const now = Date.now();
    const row = (at: number, method: string) => ({
      memberId: admin.memberId,
      at,
      method,
      params: '{}',
      status: 200,
      outcome: 'ok',
      answer: '',
      durationMs: 1,
    });
    await log.append([
      row(now - 3 * DAY_MS - 60_000, 'old.method'),
      row(now - 3 * DAY_MS + 60_000, 'young.method'),
    ]);
    await log.close();
    const app = await fixture.restart();
    const methods = async () => (await app.restLog.list(admin.memberId, { limit: 500 })).map((r) => r.method);
    await eventually(methods, (list) => !list.includes('old.method'), 'the old row pruned');
    expect(await methods()).toContain('young.method');
  });
});
