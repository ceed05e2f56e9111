import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { post, request, startSim } from './helpers.js';

const command = (frameUrl: string, name: string, params = '') =>
  request(`${frameUrl}/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ command: name, params }),
  });

describe('the portal page around an app frame (BITRIX24.md §6, §9.8)', () => {
  it('serves a page that posts the frame form into an iframe named DOMAIN|1|APP_SID', async () => {
    const sim = await startSim();
    const app = sim.registerApp({ handlerUrl: 'http://127.0.0.1:9/app' });
    await sim.installApp(app.clientId);
    const url = sim.frameUrl(app.clientId, {
      placement: 'CRM_LEAD_DETAIL_TAB',
      placementOptions: { ID: '8061' },
    });
    expect(url.startsWith(`${sim.url}/frame/`)).toBe(true);
    const sid = url.split('/').at(-1) ?? '';
    const page = await request(url);
    expect(page.status).toBe(200);
    const host = new URL(sim.url).host;
    expect(page.body).toContain(`<iframe name="${host}|1|${sid}"`);
    expect(page.body).toContain(
      `action="http://127.0.0.1:9/app?DOMAIN=${encodeURIComponent(host)}&amp;PROTOCOL=1`,
    );
    expect(page.body).toContain('name="PLACEMENT" value="CRM_LEAD_DETAIL_TAB"');
    expect(page.body).toContain('name="PLACEMENT_OPTIONS" value="{&quot;ID&quot;:&quot;8061&quot;}"');
  });

  it('answers getInitData with working tokens, and records installFinish and options', async () => {
    const sim = await startSim();
    const app = sim.registerApp({ handlerUrl: 'http://127.0.0.1:9/app' });
    await sim.installApp(app.clientId, { finish: false });
    const url = sim.frameUrl(app.clientId);
    const init = await command(url, 'getInitData');
    expect(init.body.result).toMatchObject({
      DOMAIN: new URL(sim.url).host,
      PROTOCOL: 1,
      MEMBER_ID: sim.portal().memberId,
      IS_ADMIN: true,
      PLACEMENT: 'DEFAULT',
      INSTALL: true,
      FIRST_RUN: true,
    });
    const profile = await post(`${sim.url}/rest/`, 'profile', { auth: init.body.result.AUTH_ID });
    expect(profile.status).toBe(200);
    expect(
      (await command(url, 'setAppOption', JSON.stringify({ name: 'chat', value: '-100' }))).body.result,
    ).toBeNull();
    await command(url, 'setInstallFinish');
    expect(sim.portal().installs.get(app.clientId)?.finished).toBe(true);
    expect(sim.portal().appOptions.get(app.clientId)).toEqual({ chat: '-100' });
    const refreshed = await command(url, 'refreshAuth');
    expect(refreshed.body.result.AUTH_ID).not.toBe(init.body.result.AUTH_ID);
    expect(sim.frameCommands.map((c) => c.command)).toEqual([
      'getInitData',
      'setAppOption',
      'setInstallFinish',
      'refreshAuth',
    ]);
    expect((await request(`${sim.url}/frame/nosuch`)).status).toBe(404);
  });

  it("runs the page's script: a frame message gets `key:JSON` back at the app's origin", async () => {
    const sim = await startSim();
    const app = sim.registerApp({ handlerUrl: 'http://127.0.0.1:9/app' });
    await sim.installApp(app.clientId);
    const url = sim.frameUrl(app.clientId);
    const sid = url.split('/').at(-1) ?? '';
    const page = String((await request(url)).body);
    const script = /<script>([\s\S]*)<\/script>/.exec(page)?.[1] ?? '';
    // A stand-in for the browser: what the script touches, with fetch resolved against the simulator.
    let onMessage: ((event: unknown) => Promise<void>) | undefined;
    let submitted = false;
    const window = { addEventListener: (_: string, listener: typeof onMessage) => (onMessage = listener) };
    const document = { getElementById: () => ({ submit: () => (submitted = true) }) };
    const location = { pathname: new URL(url).pathname };
    const fetchFromPage = (path: string, init: RequestInit) => fetch(new URL(path, sim.url), init);
    runInNewContext(script, { window, document, location, fetch: fetchFromPage, JSON });
    expect(submitted).toBe(true);
    const replies: [string, string][] = [];
    const source = { postMessage: (message: string, origin: string) => replies.push([message, origin]) };
    await onMessage?.({ origin: 'https://evil.example', data: `getInitData:k0:${sid}`, source });
    await onMessage?.({ origin: 'http://127.0.0.1:9', data: `getInitData:k1:${sid}`, source });
    await onMessage?.({
      origin: 'http://127.0.0.1:9',
      data: `resizeWindow:{"width":1,"height":2}:k2:${sid}`,
      source,
    });
    expect(replies).toHaveLength(2);
    const [first, second] = replies;
    expect(first?.[1]).toBe('http://127.0.0.1:9');
    expect(first?.[0].startsWith('k1:')).toBe(true);
    expect(JSON.parse(first?.[0].slice(3) ?? '{}')).toMatchObject({ MEMBER_ID: sim.portal().memberId });
    expect(second?.[0]).toBe('k2');
    expect(sim.frameCommands.at(-1)).toEqual({
      sid,
      command: 'resizeWindow',
      params: '{"width":1,"height":2}',
    });
  });
});
