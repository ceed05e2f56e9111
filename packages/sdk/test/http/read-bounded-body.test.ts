import { describe, expect, it } from 'vitest';
import { readBoundedBody } from '../../src/index.js';
import { recordingBody } from '../../src/testing/index.js';

const streamed = (stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request('http://shop.test/', { method: 'POST', body: stream, headers, duplex: 'half' } as RequestInit);

describe('readBoundedBody', () => {
  it('reads a body of up to the limit whole, across chunks', async () => {
    const body = recordingBody({ chunkBytes: 10, chunks: 10 });
    const read = await readBoundedBody(streamed(body.stream), 100);
    expect(read).toEqual({ ok: true, bytes: new Uint8Array(100).fill(0x20) });
  });

  it('stops at the first chunk past the limit and cancels the rest', async () => {
    const body = recordingBody({ chunkBytes: 10, chunks: 11 });
    expect(await readBoundedBody(streamed(body.stream), 100)).toEqual({ ok: false, maxBytes: 100 });
    expect(body.pulledBytes).toBe(110);
    expect(body.cancelled).toBe(true);
  });

  it('reads an empty body as no bytes', async () => {
    const read = await readBoundedBody(new Request('http://shop.test/', { method: 'POST' }), 100);
    expect(read).toEqual({ ok: true, bytes: new Uint8Array(0) });
  });

  it('refuses a declared length over the limit unread, and trusts nothing else about the header', async () => {
    const declared = recordingBody({ chunkBytes: 10, chunks: 1 });
    expect(await readBoundedBody(streamed(declared.stream, { 'content-length': '101' }), 100)).toEqual({
      ok: false,
      maxBytes: 100,
    });
    expect(declared.pulledBytes).toBe(0);
    // A header that is not one number, or one that understates the body, does not lift the limit.
    for (const header of ['abc', '10, 10', '-5', '10']) {
      const body = recordingBody({ chunkBytes: 60, chunks: 2 });
      const read = await readBoundedBody(streamed(body.stream, { 'content-length': header }), 100);
      expect(read).toEqual({ ok: false, maxBytes: 100 });
    }
  });
});
