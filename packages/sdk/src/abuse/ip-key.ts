import { isIPv4, isIPv6 } from 'node:net';

/**
 * What an IP limit counts by. An IPv4 address is one subscriber (or one NAT). An IPv6 subscriber
 * gets a whole /64 (RFC 6177) and can take a fresh address for every request, so IPv6 is counted
 * by its /64; an IPv4-mapped address (`::ffff:203.0.113.5`, what a dual-stack socket reports) is
 * the IPv4 it maps.
 */
export function ipKey(ip: string): string {
  const address = unmapIPv4(ip.trim().toLowerCase());
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  return `${firstGroups(address.split('%')[0] ?? address, 4).join(':')}::/64`;
}

/** The first `count` 16-bit groups of an IPv6 address, "::" expanded, without leading zeros. */
function firstGroups(address: string, count: number): string[] {
  const [head = '', tail] = address.split('::');
  const groups = (part: string) =>
    part === '' ? [] : part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const full = [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return full.slice(0, count).map((group) => Number.parseInt(group, 16).toString(16));
}

/** An IPv4-mapped IPv6 address (`::ffff:203.0.113.5`, as a dual-stack socket reports) as its IPv4. */
export function unmapIPv4(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped !== undefined && isIPv4(mapped) ? mapped : address;
}
