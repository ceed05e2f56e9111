import { createSign } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import type { VoximplantServiceKey } from '../../src/voximplant/index.js';

/**
 * A small scenario of our own (the testkit must not depend on the adapter's): dials the number in
 * its custom data with AMD, notes every event, plays a recording to a person, and POSTs what it saw
 * to the URL in its custom data. Hangs up when a message arrives on its media-session URL.
 */
export const TEST_SCENARIO = `
VoxEngine.addEventListener(AppEvents.Started, (ev) => {
  const data = JSON.parse(VoxEngine.customData());
  const seen = [];
  let sent = false;
  const report = async (extra) => {
    if (sent) return;
    sent = true;
    const body = JSON.stringify(Object.assign({ session: ev.sessionId, seen }, extra));
    const answer = await Net.httpRequestAsync(data.url, { method: 'POST', postData: body, headers: { 'Content-Type': 'application/json' } });
    Logger.write('report answered ' + answer.code);
    VoxEngine.terminate();
  };
  const amd = AMD.create({ model: AMD.Model.RU, timeout: data.amdTimeout || 6500 });
  const call = VoxEngine.callPSTN(data.number, '74950000000', { amd });
  VoxEngine.addEventListener(AppEvents.HttpRequest, (e) => { seen.push('HttpRequest:' + e.content); call.hangup(); });
  call.addEventListener(CallEvents.Ringing, () => seen.push('Ringing'));
  call.addEventListener(CallEvents.Connected, () => seen.push('Connected'));
  call.addEventListener(CallEvents.PlaybackFinished, () => { seen.push('PlaybackFinished'); call.hangup(); });
  call.addEventListener(CallEvents.Failed, (e) => { seen.push('Failed'); report({ code: e.code, reason: e.reason }); });
  call.addEventListener(CallEvents.Disconnected, (e) => { seen.push('Disconnected'); report({ duration: e.duration }); });
  amd.addEventListener(AMD.Events.DetectionComplete, (e) => {
    seen.push('AMD:' + e.resultClass);
    if (e.resultClass === 'HUMAN' || e.resultClass === 'TIMEOUT') call.startPlayback('https://shop.example/a.mp3');
    else call.hangup();
  });
});
`;

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

export interface Report {
  session: number;
  seen: string[];
  code?: number;
  reason?: string;
  duration?: number;
}

/** Our server's stand-in: collects the scenario's reports. */
export async function startReceiver(): Promise<{ url: string; reports: Report[] }> {
  const reports: Report[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    reports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Report);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/report`, reports };
}

/** A service-account JWT signed here, independently of any adapter. */
export function serviceToken(
  key: VoximplantServiceKey,
  claims: Partial<{ iss: number; iat: number; exp: number }> = {},
  kid = key.keyId,
): string {
  const iat = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode({ iss: key.accountId, iat, exp: iat + 64, ...claims })}`;
  const signer = createSign('RSA-SHA256');
  signer.update(head);
  return `${head}.${signer.sign(key.privateKey, 'base64url')}`;
}

/** POSTs form parameters to the simulator's management API. */
export async function callApi(
  base: string,
  method: string,
  params: Record<string, string | number>,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/platform_api/${method}`, {
    method: 'POST',
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    body: new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
