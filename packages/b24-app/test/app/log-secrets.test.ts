import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Portal } from '../../src/portals/portal-store.js';
import { PATHS } from '../../src/server.js';
import { SECRET_NAMES } from '../../src/settings/portal-providers.js';
import { type AppFixture, startAppFixture } from './app-fixture.js';
import { eventually, postForm, submitCorezoid, submitIntake } from './app-requests.js';

// The issue: "secrets never written to a log line (a test greps the logs of a full run for every
// secret it set)". A full run — two installs, leads through the intake, the Corezoid URL and the
// portals' own web forms, calls, refused requests carrying the other portal's secrets, an
// uninstall — then every secret it set or saw is looked for in the raw log text.

let fixture: AppFixture;
const secrets = new Set<string>();

/** Every string value under a token-ish key of a simulator's outbound POST. */
function collectFromBody(value: unknown, key = ''): void {
  if (typeof value === 'string') {
    if (/token|^auth_id$|^refresh_id$/i.test(key) && value.length >= 8) secrets.add(value);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [name, inner] of Object.entries(value)) collectFromBody(inner, name);
  }
}

function collectFromPortal(portal: Portal | null): void {
  if (portal === null) return;
  if (portal.applicationToken !== null) secrets.add(portal.applicationToken);
  if (portal.tokens !== null) {
    secrets.add(portal.tokens.accessToken);
    secrets.add(portal.tokens.refreshToken);
  }
  for (const value of Object.values(portal.secrets)) secrets.add(value);
}

beforeAll(async () => {
  fixture = await startAppFixture({ portals: ['a', 'b'], voice: true });
}, 60_000);
afterAll(async () => fixture?.close());

describe('no secret in any log line of a full run', () => {
  it('installs, leads from every door, calls, refusals and an uninstall log no secret', async () => {
    const { sim, app } = fixture;
    const vox = fixture.vox;
    if (vox === undefined) throw new Error('voice simulator expected');
    const a = await fixture.install('a');
    const b = await fixture.install('b');
    const intake = (portal: Portal) => portal.secrets[SECRET_NAMES.intake] ?? '';

    // Leads through each door: the intake (JSON), the Corezoid URL, the portals' own web forms.
    expect(
      (await submitIntake(fixture, a.portalKey, intake(a), { name: 'Анна', phone: '+79160000011' })).status,
    ).toBe(202);
    const corezoid = await submitCorezoid(fixture, b.portalKey, intake(b), {
      name: 'Борис',
      phone: '+79160000012',
    });
    expect(corezoid.body.ops?.[0]?.proc).toBe('ok');
    sim.addFormLead(
      { NAME: 'Вера', PHONE: [{ VALUE: '+7 916 000-00-13', VALUE_TYPE: 'WORK' }], SOURCE_ID: 'WEBFORM' },
      'a',
    );
    sim.addFormLead(
      { NAME: 'Глеб', PHONE: [{ VALUE: '+7 916 000-00-14', VALUE_TYPE: 'WORK' }], SOURCE_ID: 'WEBFORM' },
      'b',
    );
    await sim.idle();
    await app.idle();
    // Each lead is called: four signed results reach the app.
    await eventually(
      () => vox.state.callbacks.filter((r) => 'X-Prozvon-Signature' in r.headers && r.code === 200).length,
      (n) => n >= 4,
      'four calls with their results',
    );
    await vox.state.settled();

    // Refused requests carrying real secrets in the wrong place: the refusal must not echo them.
    expect(
      (await submitIntake(fixture, b.portalKey, intake(a), { name: 'X', phone: '+79160000015' })).status,
    ).toBe(401);
    expect(
      (await submitCorezoid(fixture, a.portalKey, intake(b), { name: 'X', phone: '+79160000016' })).status,
    ).toBe(401);
    const forged = `event=ONAPPUNINSTALL&auth[member_id]=${b.memberId}&auth[application_token]=${a.applicationToken}`;
    expect(await postForm(fixture, PATHS.events, forged)).toBe(401);
    const frame = `member_id=${b.memberId}&APPLICATION_TOKEN=${a.applicationToken}&AUTH_ID=${a.tokens?.accessToken}`;
    expect(await postForm(fixture, `${PATHS.app}?DOMAIN=${b.domain}`, frame)).toBe(401);

    // What the store holds before the uninstall deletes it, and what the portals ever sent.
    for (const portal of [a, b]) collectFromPortal(await app.portals.getByMemberId(portal.memberId));
    await sim.uninstallApp(fixture.b24App.clientId, { portal: 'a' });
    await sim.idle();
    await app.idle();
    expect((await app.portals.getByMemberId(a.memberId))?.status).toBe('uninstalled');
    for (const key of ['a', 'b']) {
      for (const delivery of sim.state.deliveries(key)) collectFromBody(delivery.body);
      for (const install of sim.portal(key).installs.values()) secrets.add(install.applicationToken);
    }
    secrets.add(fixture.config.clientSecret);
    secrets.add(fixture.masterKey);
    // The operator's Voximplant key: each line of its PEM body (a log would escape the newlines).
    for (const line of (await import('node:crypto'))
      .createPrivateKey(vox.serviceKey.privateKey)
      .export({ type: 'pkcs8', format: 'pem' })
      .toString()
      .split('\n')
      .filter((l) => l.length >= 40 && !l.startsWith('-----'))) {
      secrets.add(line);
    }

    // The run did log: installs, leads, calls, refusals, the uninstall.
    const text = fixture.rawLogs.join('');
    expect(fixture.logs.some((line) => line.audit === 'installed')).toBe(true);
    expect(fixture.logs.some((line) => line.audit === 'event_refused')).toBe(true);
    expect(fixture.logs.some((line) => line.audit === 'uninstalled')).toBe(true);
    expect(secrets.size).toBeGreaterThan(12);
    const leaked = [...secrets].filter((secret) => text.includes(secret));
    expect(leaked).toEqual([]);

    // The REST log (Bitrix24's Market: requests and answers kept 3 days) holds both portals'
    // requests — the binds, the CRM batches, the reads — and none of those secrets either.
    await app.flushRestLog();
    const db = new DatabaseSync(fixture.config.databasePath, { readOnly: true });
    const rows = db
      .prepare('SELECT member_id, method, params, status, outcome, answer FROM portal_rest_log')
      .all();
    db.close();
    expect(new Set(rows.map((row) => row.member_id))).toEqual(new Set([a.memberId, b.memberId]));
    for (const method of ['event.bind', 'batch', 'event.offline.get'])
      expect(
        rows.some((row) => row.method === method),
        method,
      ).toBe(true);
    const stored = JSON.stringify(rows);
    expect([...secrets].filter((secret) => stored.includes(secret))).toEqual([]);
  }, 60_000);
});
