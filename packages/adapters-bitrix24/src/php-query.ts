/**
 * Encodes params as a PHP query string (`fields[PHONE][0][VALUE]=…`), the form each command of a
 * Bitrix24 `batch` takes (`"crm.lead.add?fields%5BTITLE%5D=…"`, BITRIX24.md §7). Brackets are
 * percent-encoded as the SDK and BX24.js do; the portal decodes before it substitutes `$result[…]`.
 */
export function encodePhpQuery(params: Readonly<Record<string, unknown>>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) append(pairs, key, value);
  return pairs.join('&');
}

function append(pairs: string[], key: string, value: unknown): void {
  if (value === undefined) return;
  if (value === null) {
    pairs.push(`${encodeURIComponent(key)}=`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      append(pairs, `${key}[${index}]`, item);
    });
    return;
  }
  if (typeof value === 'object') {
    for (const [child, item] of Object.entries(value)) append(pairs, `${key}[${child}]`, item);
    return;
  }
  // PHP has no booleans in a query: the portal's own forms send Y/N, numbers and strings.
  const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
}
