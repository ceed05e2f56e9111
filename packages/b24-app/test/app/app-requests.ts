import type { AppFixture } from './app-fixture.js';

/** POSTs a form the way Bitrix24 does; the status. */
export async function postForm(fixture: AppFixture, path: string, fields: string): Promise<number> {
  const response = await fetch(`${fixture.config.publicUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields,
  });
  await response.arrayBuffer();
  return response.status;
}

/** Submits a lead through a portal's intake URL with a secret; the status and the answer. */
export async function submitIntake(
  fixture: AppFixture,
  portalKey: string,
  secret: string,
  lead: Record<string, unknown>,
): Promise<{ status: number; body: { leadId?: string } }> {
  const response = await fetch(`${fixture.config.publicUrl}/p/${portalKey}/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify(lead),
  });
  return { status: response.status, body: (await response.json()) as { leadId?: string } };
}

/** Posts the seed's Corezoid package with one lead; the status and the answer. */
export async function submitCorezoid(
  fixture: AppFixture,
  portalKey: string,
  secret: string,
  post: Record<string, string>,
): Promise<{ status: number; body: { request_proc?: string; ops?: { proc: string }[] } }> {
  const response = await fetch(
    `${fixture.config.publicUrl}/api/1/json/public/${encodeURIComponent(portalKey)}/${encodeURIComponent(secret)}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({
        ops: [{ ref: `ref-${Math.random()}`, type: 'create', obj: 'task', conv_id: '31754', data: { post } }],
      }),
    },
  );
  return { status: response.status, body: (await response.json()) as never };
}

/** Polls until `check` holds (the simulators and the engine run on their own timers). */
export async function eventually<T>(
  read: () => Promise<T> | T,
  check: (value: T) => boolean,
  what: string,
): Promise<T> {
  for (let i = 0; i < 400; i += 1) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never happened: ${what}`);
}
