import { describe, expect, it } from 'vitest';
import { requestUrl } from '../../src/bridges/web-request.js';

describe('requestUrl', () => {
  it('takes the path from the request line, never from a Host header a client chose', () => {
    const url = requestUrl('http', 'x/voice/other-shop', '/voice/tea-shop');
    expect(url.pathname).toBe('/voice/tea-shop');
    expect(url.host).toBe('x');
    expect(requestUrl('https', 'shop.example#/voice/b', '/voice/a?k=1').href).toBe(
      'https://shop.example/voice/a?k=1',
    );
  });

  it('keeps a plain host and port, and falls back to localhost without one', () => {
    expect(requestUrl('http', '127.0.0.1:3000', '/api/orders').href).toBe('http://127.0.0.1:3000/api/orders');
    expect(requestUrl('http', undefined, 'voice').href).toBe('http://localhost/voice');
  });
});
