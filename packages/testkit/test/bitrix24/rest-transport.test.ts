import { describe, expect, it } from 'vitest';
import { post, request, startSim } from './helpers.js';

describe('Bitrix24 REST transport (BITRIX24.md §1, §9.1)', () => {
  it('answers a webhook call over HTTPS with the real envelope', async () => {
    const sim = await startSim();
    const { status, body } = await post(sim.webhookUrl(), 'crm.lead.add', { fields: { TITLE: 'Order 1' } });
    expect(status).toBe(200);
    expect(body.result).toBe(1);
    expect(Object.keys(body.time)).toEqual(
      expect.arrayContaining(['start', 'finish', 'duration', 'processing', 'date_start', 'date_finish']),
    );
    expect(body.time.operating).toBeTypeOf('number');
    expect(body.time.operating_reset_at).toBeTypeOf('number');
    expect(body.time.date_start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/);
  });

  it('takes `.json`, upper-case method names, the double slash and ignores bx24_* query markers', async () => {
    const sim = await startSim();
    const hook = sim.webhookUrl();
    await post(hook, 'crm.lead.add', { fields: { TITLE: 'A' } });
    const variants = [
      'crm.lead.get.json?id=1',
      'CRM.Lead.Get?id=1',
      '/crm.lead.get?id=1&bx24_request_id=x&bx24_sdk_ver=2.2.0&bx24_sdk_type=b24-js-sdk',
    ];
    for (const variant of variants) {
      const { status, body } = await request(`${hook}${variant}`);
      expect(status, variant).toBe(200);
      expect(body.result.TITLE).toBe('A');
    }
  });

  it('reads params from the query, a PHP-bracket form and JSON alike', async () => {
    const sim = await startSim();
    const hook = sim.webhookUrl();
    const form = new URLSearchParams({
      'fields[TITLE]': 'Form lead',
      'fields[PHONE][0][VALUE]': '+79161234567',
      'fields[PHONE][0][VALUE_TYPE]': 'MOBILE',
    });
    const added = await request(`${hook}crm.lead.add`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(added.body.result).toBe(1);
    const viaQuery = await request(`${hook}crm.lead.add?fields[TITLE]=Query%20lead`, { method: 'POST' });
    expect(viaQuery.body.result).toBe(2);
    const lead = await post(hook, 'crm.lead.get', { id: 1 });
    expect(lead.body.result.PHONE).toEqual([
      { ID: expect.any(String), VALUE_TYPE: 'MOBILE', VALUE: '+79161234567', TYPE_ID: 'PHONE' },
    ]);
    expect(sim.state.leads().map((l) => l.TITLE)).toEqual(['Form lead', 'Query lead']);
  });

  it('takes an OAuth token as `auth` in the body, the query or a form, via `/rest//method`', async () => {
    const sim = await startSim();
    const app = sim.registerApp();
    const { auth } = await sim.installApp(app.clientId);
    const token = auth.access_token ?? '';
    const viaBody = await post(`${sim.url}/rest//`, 'user.current', { auth: token });
    expect(viaBody.status).toBe(200);
    expect(viaBody.body.result.ID).toBe('1');
    const viaQuery = await request(`${sim.url}/rest/profile.json?auth=${token}`);
    expect(viaQuery.body.result.ADMIN).toBe(true);
    const viaForm = await request(`${sim.httpUrl}/rest/profile`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `auth=${token}`,
    });
    expect(viaForm.status).toBe(200);
  });

  it('answers user.admin for the token’s own user: true for an admin, false for another user', async () => {
    const sim = await startSim();
    const app = sim.registerApp();
    await sim.installApp(app.clientId);
    sim.portal().addUser({ id: 2 });
    const tokenOf = async (userId: number) => {
      const code = sim.authorize(app.clientId, { userId });
      const answer = await request(
        `${sim.url}/oauth/token/?grant_type=authorization_code&client_id=${app.clientId}&client_secret=${app.clientSecret}&code=${code}`,
      );
      return String(answer.body.access_token);
    };
    const admin = await post(`${sim.url}/rest/`, 'user.admin', { auth: await tokenOf(1) });
    expect(admin.body.result).toBe(true);
    const user = await tokenOf(2);
    expect((await post(`${sim.url}/rest/`, 'user.admin', { auth: user })).body.result).toBe(false);
    expect((await post(`${sim.url}/rest/`, 'user.current', { auth: user })).body.result.ID).toBe('2');
  });

  it('refuses unknown credentials with 401 NO_AUTH_FOUND and unknown methods with 404', async () => {
    const sim = await startSim();
    const wrongHook = await post(`${sim.url}/rest/1/nosuchsecret/`, 'crm.lead.list');
    expect(wrongHook).toEqual({
      status: 401,
      body: { error: 'NO_AUTH_FOUND', error_description: expect.any(String) },
    });
    const noAuth = await post(`${sim.url}/rest/`, 'crm.lead.list');
    expect(noAuth.status).toBe(401);
    expect(noAuth.body.error).toBe('NO_AUTH_FOUND');
    const badToken = await post(`${sim.url}/rest/`, 'crm.lead.list', { auth: 'forged' });
    expect(badToken.body.error).toBe('NO_AUTH_FOUND');
    const unknown = await post(sim.webhookUrl(), 'crm.lead.nosuch');
    expect(unknown).toEqual({
      status: 404,
      body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
    });
  });

  it('answers 400 INVALID_REQUEST over plain HTTP when httpsOnly is set', async () => {
    const sim = await startSim({ httpsOnly: true });
    const overHttp = await post(sim.webhookUrl().replace(sim.url, sim.httpUrl), 'profile');
    expect(overHttp).toEqual({
      status: 400,
      body: { error: 'INVALID_REQUEST', error_description: 'Https required.' },
    });
    expect((await post(sim.webhookUrl(), 'profile')).status).toBe(200);
  });

  it('answers CORS preflights on /rest/ for browser calls from the app frame', async () => {
    const sim = await startSim();
    const response = await fetch(`${sim.url}/rest/crm.lead.get`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const fromBrowser = await fetch(`${sim.webhookUrl()}profile`, {
      headers: { origin: 'https://app.example' },
    });
    expect(fromBrowser.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('keeps portals apart: each credential reaches only its own portal', async () => {
    const sim = await startSim({ portals: [{ key: 'a' }, { key: 'b' }] });
    await post(sim.webhookUrl('a'), 'crm.lead.add', { fields: { TITLE: 'in a' } });
    const listB = await post(sim.webhookUrl('b'), 'crm.lead.list');
    expect(listB.body.result).toEqual([]);
    expect(listB.body.total).toBe(0);
    expect(sim.state.leads('a')).toHaveLength(1);
    expect(sim.state.leads('b')).toHaveLength(0);
  });

  it('renders a state page at GET /', async () => {
    const sim = await startSim();
    await post(sim.webhookUrl(), 'crm.lead.add', { fields: { TITLE: 'Visible <lead>' } });
    const page = await request(`${sim.url}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Visible &lt;lead&gt;');
  });
});
