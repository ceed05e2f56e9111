import { afterEach } from 'vitest';
import { type Bitrix24Sim, type Bitrix24SimOptions, startBitrix24Sim } from '../../src/bitrix24/index.js';
import { trustTestkitCa } from '../../src/tls/index.js';

const running: Bitrix24Sim[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

/** Starts a simulator that closes after the test, with its CA trusted by this process. */
export async function startSim(options: Bitrix24SimOptions = {}): Promise<Bitrix24Sim> {
  const sim = await startBitrix24Sim(options);
  running.push(sim);
  trustTestkitCa(sim.ca);
  return sim;
}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the portal answered
  body: any;
}

/** POSTs JSON as the SDK does; `base` is a webhook URL or `<sim>/rest/`. */
export async function post(
  base: string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<Answer> {
  const response = await fetch(`${base}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: await response.json() };
}

/** Any request; the body is parsed as JSON when it is. */
export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (an injected HTML error page): keep the text
  }
  return { status: response.status, body };
}
