export interface StateSection {
  heading: string;
  /** In the order received; the page shows them newest first. */
  rows: readonly object[];
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return escapeHtml(value.toISOString());
  if (typeof value === 'object') return `<code>${escapeHtml(JSON.stringify(value))}</code>`;
  return escapeHtml(String(value));
}

function table(rows: readonly object[]): string {
  if (rows.length === 0) return '<p class="empty">nothing yet</p>';
  // The union of keys, in first-seen order, so rows of different shapes still line up.
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const head = columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('');
  const body = [...rows]
    .reverse()
    .map((row) => {
      const values = row as Record<string, unknown>;
      return `<tr>${columns.map((column) => `<td>${cell(values[column])}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * A self-contained HTML page for a simulator's `GET /`: the demo shows it to a newcomer, so it
 * needs no assets. Every value is escaped — rows hold whatever a client sent.
 */
export function renderStatePage(title: string, sections: readonly StateSection[]): string {
  const parts = sections.map(
    (section) =>
      `<section><h2>${escapeHtml(section.heading)} (${section.rows.length})</h2>${table(section.rows)}</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
code{white-space:pre-wrap;word-break:break-all}.empty{color:#777}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${parts.join('\n')}
</body></html>
`;
}

/** Answers a `GET /` with the rendered page. */
export function sendHtml(res: import('node:http').ServerResponse, html: string): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}
