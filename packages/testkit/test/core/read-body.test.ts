import { afterEach, describe, expect, it } from 'vitest';
import { listenOnLoopback, type SimServer } from '../../src/core/loopback-server.js';
import { BodyError, readBody, sendJson } from '../../src/core/read-body.js';

let server: SimServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that echoes what readBody made of the request, or the BodyError it threw. */
async function echo(maxBytes?: number): Promise<string> {
  server = await listenOnLoopback(async (req, res) => {
    try {
      const body = await readBody(req, maxBytes);
      sendJson(res, 200, { raw: body.raw, json: body.json, form: body.form ? [...body.form] : null });
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      sendJson(res, error.status, { error: error.message }, { connection: 'close' });
    }
  });
  return server.url;
}

describe('readBody', () => {
  it('parses a JSON body', async () => {
    const res = await fetch(await echo(), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ chat_id: 42, text: 'Привет' }),
    });
    expect(await res.json()).toEqual({
      raw: '{"chat_id":42,"text":"Привет"}',
      json: { chat_id: 42, text: 'Привет' },
      form: null,
    });
  });

  it('parses a form body, repeated keys and UTF-8 included', async () => {
    const res = await fetch(await echo(), {
      method: 'POST',
      body: new URLSearchParams([
        ['to', '79990000001'],
        ['msg', 'Заказ принят'],
        ['to', 'x'],
      ]),
    });
    const body = (await res.json()) as { form: [string, string][] };
    expect(body.form).toEqual([
      ['to', '79990000001'],
      ['msg', 'Заказ принят'],
      ['to', 'x'],
    ]);
  });

  it('takes the text fields of a multipart body, within the same cap', async () => {
    const form = new FormData();
    form.append('chat_id', '42');
    form.append('text', 'Заказ принят');
    form.append('photo', new Blob(['binary']), 'photo.jpg');
    const url = await echo(1_000);
    const res = await fetch(url, { method: 'POST', body: form });
    expect(((await res.json()) as { form: [string, string][] }).form).toEqual([
      ['chat_id', '42'],
      ['text', 'Заказ принят'],
    ]);
    const big = new FormData();
    big.append('text', 'x'.repeat(2_000));
    expect((await fetch(url, { method: 'POST', body: big })).status).toBe(413);
  });

  it('answers 400 for a multipart body that does not parse', async () => {
    const res = await fetch(await echo(), {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=zzz' },
      body: 'not multipart at all',
    });
    expect(res.status).toBe(400);
  });

  it('leaves other content types as raw text', async () => {
    const res = await fetch(await echo(), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(await res.json()).toEqual({ raw: 'hi', form: null });
  });

  it('answers 400 for broken JSON', async () => {
    const res = await fetch(await echo(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(res.status).toBe(400);
  });

  it('refuses a body over the cap with 413', async () => {
    const res = await fetch(await echo(1000), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(5000),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'request body over 1000 bytes' });
  });

  it('reads a chunked body (no content-length) and caps it too', async () => {
    const chunked = (parts: string[]) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
          controller.close();
        },
      });
    const url = await echo(1000);
    const post = (parts: string[]) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: chunked(parts),
        duplex: 'half',
      } as RequestInit);
    const ok = await post(['Прив', 'ет']);
    expect(await ok.json()).toEqual({ raw: 'Привет', form: null });
    expect((await post(['x'.repeat(600), 'x'.repeat(600)])).status).toBe(413);
  });

  it('accepts a body exactly at the cap', async () => {
    const res = await fetch(await echo(1000), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(1000),
    });
    expect(res.status).toBe(200);
  });
});
