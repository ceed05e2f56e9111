/**
 * PHP-style bracket parameters, as Bitrix24 reads them from a query string or a form body:
 * `fields[PHONE][0][VALUE]=+7…` → `{ fields: { PHONE: [{ VALUE: '+7…' }] } }`.
 * PHP has one array type; an array whose keys are 0…n-1 in order is a list (what json_encode
 * prints as `[…]`), so the same is done here.
 */

type Node = Record<string, unknown>;

// Keys that would reach Object.prototype if assigned on a plain object.
const UNSAFE = new Set(['__proto__', 'prototype', 'constructor']);

function splitKey(key: string): string[] | undefined {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  let rest = key.slice(open);
  while (rest.length > 0) {
    if (rest[0] !== '[') return parts; // PHP ignores what follows a broken bracket
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    parts.push(rest.slice(1, close));
    rest = rest.slice(close + 1);
  }
  return parts;
}

function nextIndex(node: Node): string {
  let max = -1;
  for (const key of Object.keys(node)) {
    const n = Number(key);
    if (Number.isInteger(n) && n > max) max = n;
  }
  return String(max + 1);
}

function assign(root: Node, parts: readonly string[], value: string): void {
  let node = root;
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i] ?? '';
    if (part === '' && i > 0) part = nextIndex(node);
    if (UNSAFE.has(part)) return;
    if (i === parts.length - 1) {
      node[part] = value;
      return;
    }
    const child = node[part];
    if (typeof child === 'object' && child !== null) node = child as Node;
    else {
      const created: Node = {};
      node[part] = created;
      node = created;
    }
  }
}

function listify(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Node;
  const keys = Object.keys(node);
  for (const key of keys) node[key] = listify(node[key]);
  const isList = keys.length > 0 && keys.every((key, index) => key === String(index));
  return isList ? keys.map((key) => node[key]) : node;
}

/** Decodes name/value pairs (a URLSearchParams or a query string) into nested params. */
export function decodePhpParams(pairs: Iterable<[string, string]>): Node {
  const root: Node = {};
  for (const [key, value] of pairs) {
    const parts = splitKey(key);
    if (parts !== undefined) assign(root, parts, value);
  }
  return listify(root) as Node;
}

/** `a=1&b[c]=2` → nested params. */
export function decodePhpQuery(query: string): Node {
  return decodePhpParams(new URLSearchParams(query));
}

function flatten(prefix: string, value: unknown, out: URLSearchParams): void {
  if (value === undefined) return;
  if (value === null) {
    out.append(prefix, '');
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => {
      flatten(`${prefix}[${index}]`, item, out);
    });
  } else if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) flatten(`${prefix}[${key}]`, item, out);
  } else if (typeof value === 'boolean') {
    out.append(prefix, value ? '1' : '');
  } else {
    out.append(prefix, String(value));
  }
}

/** The reverse, as the portal posts events: `{ auth: { domain: 'x' } }` → `auth[domain]=x`. */
export function encodePhpParams(params: Record<string, unknown>): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) flatten(key, value, out);
  return out.toString();
}
