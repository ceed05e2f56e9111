/**
 * Parses an application/x-www-form-urlencoded string whose percent-escapes encode `encoding`
 * bytes. URLSearchParams always assumes UTF-8; SMSC.ru reads windows-1251 unless told
 * `charset=utf-8`, and SMS.ru refuses text that is not UTF-8, so the simulators need the bytes.
 * Throws a TypeError when `fatal` is set and the bytes are not valid in `encoding`.
 */
export function parseForm(raw: string, encoding = 'utf-8', fatal = false): URLSearchParams {
  const decoder = new TextDecoder(encoding, { fatal });
  const params = new URLSearchParams();
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    params.append(decoder.decode(percentBytes(name)), decoder.decode(percentBytes(value)));
  }
  return params;
}

function percentBytes(text: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (text[i] === '+') {
      bytes.push(0x20);
    } else {
      // Raw (unescaped) characters are taken as UTF-8, whole code points at a time.
      const char = String.fromCodePoint(text.codePointAt(i) ?? 0);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length - 1;
    }
  }
  return Uint8Array.from(bytes);
}

/**
 * Body parameters followed by query parameters: `get()` returns the first, so a body value wins,
 * as in PHP's `$_REQUEST` (SMS.ru and SMSC take either).
 */
export function mergedParams(query: URLSearchParams, body: URLSearchParams | undefined): URLSearchParams {
  const merged = new URLSearchParams(body);
  for (const [name, value] of query) merged.append(name, value);
  return merged;
}
