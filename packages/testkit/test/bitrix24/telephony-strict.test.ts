import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Bitrix24SimOptions, ManualClock } from '../../src/bitrix24/index.js';
import { post, startSim } from './helpers.js';

// Doc paths are relative to the bitrix24/b24restdocs repository (see BITRIX24.md).

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback file server standing in for a PBX's recording storage; counts what it was asked. */
async function recordServer(handler: RequestListener) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

const MP3 = Buffer.from('ID3 fake mp3 bytes');

async function finishedCall(options: Bitrix24SimOptions = {}) {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock();
  const sim = await startSim({ ...options, clock });
  const app = sim.registerApp({ scope: ['crm', 'telephony'] });
  const { auth } = await sim.installApp(app.clientId);
  const call = (method: string, params: Record<string, unknown> = {}) =>
    post(`${sim.url}/rest/`, method, { ...params, auth: auth.access_token });
  const registered = await call('telephony.externalCall.register', {
    USER_ID: 1,
    PHONE_NUMBER: '+79161234567',
    TYPE: 1,
  });
  const callId: string = registered.body.result.CALL_ID;
  await call('telephony.externalCall.finish', { CALL_ID: callId, USER_ID: 1, DURATION: 30 });
  return { sim, call, callId, clock, auth };
}

describe('telephony.externalCall.attachRecord (api-reference/telephony/telephony-external-call-attach-record.md)', () => {
  it('downloads RECORD_URL from a public origin and keeps its size and the name from the URL', async () => {
    const records = await recordServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      res.end(MP3);
    });
    const { sim, call, callId } = await finishedCall({ publicRecordOrigins: [records.origin] });
    const ok = await call('telephony.externalCall.attachRecord', {
      CALL_ID: callId,
      RECORD_URL: `${records.origin}/calls/a%201.mp3?sig=x`,
    });
    expect(ok).toEqual({
      status: 200,
      body: expect.objectContaining({ result: { FILE_ID: expect.any(Number) } }),
    });
    expect(records.hits).toEqual(['/calls/a%201.mp3?sig=x']);
    expect(sim.state.calls()[0]?.record).toEqual({
      fileId: ok.body.result.FILE_ID,
      fileName: 'a 1.mp3', // "if FILENAME is not provided, the name is taken from the URL"
      url: `${records.origin}/calls/a%201.mp3?sig=x`,
      size: MP3.length,
    });
  });

  it('answers "Server returns HTTP error code {N}" when the download fails with an HTTP error', async () => {
    const records = await recordServer((req, res) => {
      // 404: no such file; 403: an expired signed link; 500: the storage is down.
      const status = Number(req.url?.slice(1, 4));
      res.writeHead(status);
      res.end();
    });
    const { sim, call, callId } = await finishedCall({ publicRecordOrigins: [records.origin] });
    for (const status of [404, 403, 500]) {
      expect(
        await call('telephony.externalCall.attachRecord', {
          CALL_ID: callId,
          RECORD_URL: `${records.origin}/${status}.mp3`,
        }),
      ).toEqual({
        status: 400,
        body: { error: 'ERROR_CORE', error_description: `Server returns HTTP error code ${status}` },
      });
    }
    expect(sim.state.calls()[0]?.record).toBeUndefined();
  });

  it('refuses a private (non-public) address without connecting, a redirect to one, and a download past its deadline', async () => {
    const hidden = await recordServer((_req, res) => res.end(MP3));
    const open = await recordServer((req, res) => {
      if (req.url === '/redirect.mp3') {
        res.writeHead(302, { location: `${hidden.origin}/r.mp3` });
        res.end();
      }
      // /slow.mp3: never answers
    });
    const { call, callId, sim } = await finishedCall({
      publicRecordOrigins: [open.origin],
      recordDownloadTimeoutMs: 200,
    });
    const failed = {
      status: 400,
      body: { error: 'ERROR_CORE', error_description: 'Server returns HTTP error code 0' },
    };
    for (const url of [`${hidden.origin}/r.mp3`, `${open.origin}/redirect.mp3`, `${open.origin}/slow.mp3`]) {
      expect(await call('telephony.externalCall.attachRecord', { CALL_ID: callId, RECORD_URL: url })).toEqual(
        failed,
      );
    }
    expect(hidden.hits).toEqual([]);
    // A test can make an origin public later, e.g. another simulator's.
    sim.allowRecordOrigin(hidden.origin);
    const ok = await call('telephony.externalCall.attachRecord', {
      CALL_ID: callId,
      RECORD_URL: `${hidden.origin}/r.mp3`,
    });
    expect(ok.body.result).toEqual({ FILE_ID: expect.any(Number) });
  });

  it('answers the documented ERROR_CORE texts for missing or bad parameters', async () => {
    const { call, callId } = await finishedCall();
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'Required parameters are not set. Request should contain either URL or FILENAME parameter'],
      [{ FILENAME: '' }, 'File name is empty'],
      [{ RECORD_URL: 'http://127.0.0.1:1/rec.ogg' }, 'Wrong file extension. Only wav and mp3 are allowed'],
      [{ FILENAME: 'r.wav', FILE_CONTENT: '' }, 'File content is empty.'],
      [
        { FILENAME: 'r.wav', FILE_CONTENT: 'not base64!' },
        'File content is not properly encoded. Base64 encoding is expected.',
      ],
    ];
    for (const [params, text] of cases) {
      expect(
        (await call('telephony.externalCall.attachRecord', { CALL_ID: callId, ...params })).body,
      ).toEqual({
        error: 'ERROR_CORE',
        error_description: text,
      });
    }
  });

  it('two-step upload: FILENAME alone gives uploadUrl (rest/upload.json?auth=…&token=…), which needs its auth', async () => {
    const { sim, call, callId, clock } = await finishedCall();
    const step1 = await call('telephony.externalCall.attachRecord', {
      CALL_ID: callId,
      FILENAME: 'call-001.mp3',
    });
    expect(step1.body.result).toEqual({ uploadUrl: expect.any(String), fieldName: 'file' });
    const uploadUrl = new URL(step1.body.result.uploadUrl);
    expect(uploadUrl.pathname).toBe('/rest/upload.json');
    expect(uploadUrl.searchParams.get('token')).toMatch(/^telephony\|/);
    const form = () => {
      const body = new FormData();
      body.append('file', new Blob([MP3], { type: 'audio/mpeg' }), 'call-001.mp3');
      return body;
    };
    const withoutAuth = new URL(uploadUrl);
    withoutAuth.searchParams.delete('auth');
    const refused = await fetch(withoutAuth, { method: 'POST', body: form() });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'NO_AUTH_FOUND' });
    expect(sim.state.calls()[0]?.record).toBeUndefined();

    const uploaded = await fetch(uploadUrl, { method: 'POST', body: form() });
    expect(uploaded.status).toBe(200);
    const { result } = (await uploaded.json()) as { result: { FILE_ID: number } };
    expect(sim.state.calls()[0]?.record).toEqual({
      fileId: result.FILE_ID,
      fileName: 'call-001.mp3',
      url: null,
      size: MP3.length,
    });

    clock.advance(3_600_000); // the access token in the URL lives an hour
    const expired = await fetch(uploadUrl, { method: 'POST', body: form() });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: 'expired_token' });
  });
});

describe('telephony.externalCall.register CRM_CREATE (api-reference/telephony/telephony-external-call-register.md)', () => {
  async function app() {
    const sim = await startSim();
    const registered = sim.registerApp({ scope: ['crm', 'telephony'] });
    const { auth } = await sim.installApp(registered.clientId);
    const call = (method: string, params: Record<string, unknown> = {}) =>
      post(`${sim.url}/rest/`, method, { ...params, auth: auth.access_token });
    return { sim, call };
  }
  const REGISTER = { USER_ID: 1, PHONE_NUMBER: '+7 916 000-00-01', TYPE: 2 };

  it('creates a lead when CRM_CREATE=1 and nothing matches the number, with CRM_SOURCE', async () => {
    const { sim, call } = await app();
    const { body } = await call('telephony.externalCall.register', {
      ...REGISTER,
      CRM_CREATE: 1,
      CRM_SOURCE: 'WEB',
    });
    const [lead] = sim.state.leads();
    expect(body.result).toEqual({
      CALL_ID: expect.any(String),
      CRM_CREATED_LEAD: Number(lead?.ID),
      CRM_CREATED_ENTITIES: [{ ENTITY_TYPE: 'LEAD', ENTITY_ID: Number(lead?.ID) }],
      CRM_ENTITY_TYPE: 'LEAD',
      CRM_ENTITY_ID: Number(lead?.ID),
    });
    expect(lead).toMatchObject({
      SOURCE_ID: 'WEB',
      ASSIGNED_BY_ID: '1',
      PHONE: [expect.objectContaining({ VALUE: '+79160000001' })],
    });
    // The next call from that number finds the lead instead of creating another.
    const again = await call('telephony.externalCall.register', {
      ...REGISTER,
      CRM_CREATE: 1,
      EXTERNAL_CALL_ID: 'b',
    });
    expect(again.body.result).toMatchObject({ CRM_CREATED_LEAD: null, CRM_ENTITY_ID: Number(lead?.ID) });
    expect(sim.state.leads()).toHaveLength(1);
  });

  it('creates nothing by default (CRM_CREATE 0), when a contact has the number, or on an outgoing line with CRM_AUTO_CREATE=N', async () => {
    const { sim, call } = await app();
    const none = await call('telephony.externalCall.register', REGISTER);
    expect(none.body.result).toMatchObject({
      CRM_CREATED_LEAD: null,
      CRM_ENTITY_TYPE: null,
      CRM_ENTITY_ID: null,
    });
    const contactId = sim.portal().seedContact({ NAME: 'Ivan', PHONE: [{ VALUE: '+79160000002' }] });
    const contact = await call('telephony.externalCall.register', {
      ...REGISTER,
      PHONE_NUMBER: '79160000002',
      CRM_CREATE: 1,
    });
    expect(contact.body.result).toMatchObject({
      CRM_CREATED_LEAD: null,
      CRM_ENTITY_TYPE: 'CONTACT',
      CRM_ENTITY_ID: contactId,
    });
    await call('telephony.externalLine.add', { NUMBER: '74950000000', CRM_AUTO_CREATE: 'N' });
    const line = await call('telephony.externalCall.register', {
      ...REGISTER,
      TYPE: 1,
      LINE_NUMBER: '74950000000',
      CRM_CREATE: 1,
    });
    expect(line.body.result).toMatchObject({ CRM_CREATED_LEAD: null, CRM_CREATED_ENTITIES: [] });
    expect(sim.state.leads()).toEqual([]);
  });

  it('keeps SHOW (default 1) and ADD_TO_CHAT (default 1) on the call', async () => {
    const { sim, call } = await app();
    await call('telephony.externalCall.register', REGISTER);
    await call('telephony.externalCall.register', {
      ...REGISTER,
      EXTERNAL_CALL_ID: 'quiet',
      SHOW: 0,
      ADD_TO_CHAT: 0,
    });
    expect(sim.state.calls().map((c) => [c.show, c.addToChat])).toEqual([
      [true, true],
      [false, false],
    ]);
  });
});

describe('telephony.externalLine.* (api-reference/telephony/telephony-external-line-{add,get,update,delete}.md)', () => {
  it('adds, lists, updates and deletes the app’s own lines with the documented answers and errors', async () => {
    const sim = await startSim();
    const callers = [];
    for (const name of ['one', 'two']) {
      const registered = sim.registerApp({ name, scope: ['telephony'] });
      const { auth } = await sim.installApp(registered.clientId);
      callers.push((method: string, params: Record<string, unknown> = {}) =>
        post(`${sim.url}/rest/`, method, { ...params, auth: auth.access_token }),
      );
    }
    const [call, other] = callers as [(typeof callers)[0], (typeof callers)[0]];
    const added = await call('telephony.externalLine.add', {
      NUMBER: '14151234567',
      NAME: 'Support Line',
      CRM_AUTO_CREATE: 'N',
    });
    expect(added.body.result).toEqual({ ID: expect.any(Number) });
    await call('telephony.externalLine.add', { NUMBER: '14157654321', NAME: 'Main External Line' });
    expect((await call('telephony.externalLine.get')).body.result).toEqual([
      { NUMBER: '14151234567', NAME: 'Support Line', CRM_AUTO_CREATE: 'N' },
      { NUMBER: '14157654321', NAME: 'Main External Line', CRM_AUTO_CREATE: 'Y' }, // default Y
    ]);
    expect((await other('telephony.externalLine.get')).body.result).toEqual([]);
    const updated = await call('telephony.externalLine.update', {
      NUMBER: '14151234567',
      CRM_AUTO_CREATE: 'Y',
    });
    expect(updated.body.result).toEqual({ ID: String(added.body.result.ID) });
    expect((await call('telephony.externalLine.delete', { NUMBER: '14157654321' })).body.result).toEqual([]);
    expect((await call('telephony.externalLine.get')).body.result).toEqual([
      { NUMBER: '14151234567', NAME: 'Support Line', CRM_AUTO_CREATE: 'Y' },
    ]);

    const errors: [ReturnType<typeof call>, string][] = [
      [call('telephony.externalLine.add', { NAME: 'x' }), 'NUMBER should not be empty'],
      [call('telephony.externalLine.add', { NUMBER: '14151234567' }), 'Line already exists'],
      [call('telephony.externalLine.update', { NUMBER: '14151234567' }), 'There are no fields to update'],
      [
        call('telephony.externalLine.update', { NUMBER: '1', NAME: 'x' }),
        'Could not find line with number 1',
      ],
      [
        other('telephony.externalLine.delete', { NUMBER: '14151234567' }),
        'Could not find line with number 14151234567',
      ],
      [call('telephony.externalLine.delete', {}), 'NUMBER should not be empty'],
    ];
    for (const [answer, text] of errors) {
      expect(await answer).toEqual({ status: 400, body: { error: 'ERROR_CORE', error_description: text } });
    }
    for (const method of ['add', 'get', 'update', 'delete']) {
      const { status, body } = await post(sim.webhookUrl(), `telephony.externalLine.${method}`, {
        NUMBER: '1',
      });
      expect([method, status, body.error]).toEqual([method, 403, 'WRONG_AUTH_TYPE']);
    }
  });
});
