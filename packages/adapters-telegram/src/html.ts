// Telegram's HTML parse mode understands only &lt; &gt; &amp; &quot; (and numeric entities), and
// refuses any tag outside its short list with "can't parse entities". Everything a customer typed
// goes through escapeHtml, so a name like `<b>Ivan</b> & Co` shows as typed and formats nothing.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text for Telegram HTML, in element content and in a double-quoted attribute alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ENTITIES[c] ?? c);
}

/**
 * Customer fields are cut to this many characters before escaping: a message must stay within
 * Telegram's 4096 characters, and a seller needs the start of a long field, not all of it.
 */
export const FIELD_LIMIT = 300;

/** Escaped, trimmed and cut to FIELD_LIMIT characters (whole code points, so no broken emoji). */
export function userText(text: string): string {
  const chars = [...text.trim()];
  const cut = chars.length > FIELD_LIMIT ? `${chars.slice(0, FIELD_LIMIT - 1).join('')}…` : chars.join('');
  return escapeHtml(cut);
}

/** A link if `href` is an http(s) URL, else the label alone (Telegram rejects other schemes). */
export function link(href: string, label: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return label;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return label;
  return `<a href="${escapeHtml(url.toString())}">${label}</a>`;
}
