/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface HtmlPage {
  readonly title: string;
  /** Already-escaped HTML of the page's body. */
  readonly body: string;
  /** Script URLs (same origin), loaded in order before `script`. */
  readonly scripts?: readonly string[];
  /** Inline module code; the page's CSP allows it by its hash-free nonce. */
  readonly script?: string;
  readonly status?: number;
}

/**
 * A small server-rendered page of the app (the install page, "open me from your portal"). The
 * portal frames it, so no `X-Frame-Options: DENY`; what may frame it is left to the portal's CSP.
 */
export function htmlResponse(page: HtmlPage): Response {
  const nonce = crypto.randomUUID().replaceAll('-', '');
  const scripts = (page.scripts ?? []).map(
    (src) => `<script nonce="${nonce}" src="${escapeHtml(src)}"></script>`,
  );
  const inline =
    page.script === undefined ? '' : `<script nonce="${nonce}" type="module">${page.script}</script>`;
  const html = `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#333;margin:24px;max-width:720px}
h1{font-size:22px;font-weight:600;color:#2fc6f6}code{background:#f5f7f8;padding:1px 4px;border-radius:3px}</style>
</head><body>${page.body}${scripts.join('')}${inline}</body></html>`;
  return new Response(html, {
    status: page.status ?? 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'self'`,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
  });
}
