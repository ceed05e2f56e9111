import { isIP } from 'node:net';
import { unmapIPv4 } from '../abuse/ip-key.js';

/**
 * The address of the client a Web `Request` came from, which the `Request` itself does not carry.
 * The framework bridges (`@prozvon/sdk/express`, `/fastify`, `/koa`) record what their framework
 * says (`req.ip`, so behind a proxy the framework's own proxy setting decides whether
 * `X-Forwarded-For` is believed); the order-form handler reads it as the lead's `ip`. A WeakMap and
 * not a header: a header is something any client can send.
 */
const addresses = new WeakMap<Request, string>();

/** Records where `request` came from; an address that is not an IP (or none) records nothing. */
export function withClientAddress(request: Request, address: string | undefined): Request {
  const ip = address === undefined ? undefined : unmapIPv4(address);
  if (ip !== undefined && isIP(ip) !== 0) addresses.set(request, ip);
  return request;
}

/** The client's IP as a framework bridge recorded it, or undefined when none did. */
export function clientAddress(request: Request): string | undefined {
  return addresses.get(request);
}
