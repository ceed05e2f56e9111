import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';

/** The pages the Vite build makes (packages/b24-pages), one HTML entry each. */
export const PAGE_NAMES = ['settings', 'lead-tab', 'dashboard'] as const;
export type PageName = (typeof PAGE_NAMES)[number];

/** Where the built assets are served (the pages' Vite `base` + `assets/`). */
export const ASSETS_PATH = '/b24/pages/assets/';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json',
};

export interface BuiltAsset {
  readonly body: Uint8Array;
  /** The body gzipped once at start (text types): the kit's CSS and scripts shrink about 4×. */
  readonly gzipped: Uint8Array | null;
  readonly type: string;
}

const COMPRESSIBLE = /^(text\/|application\/json|image\/svg)/;

function builtAsset(body: Uint8Array, type: string): BuiltAsset {
  const gzipped = COMPRESSIBLE.test(type) ? gzipSync(body, { level: constants.Z_BEST_COMPRESSION }) : null;
  return { body, type, gzipped: gzipped !== null && gzipped.byteLength < body.byteLength ? gzipped : null };
}

export interface BuiltPages {
  readonly html: ReadonlyMap<PageName, string>;
  /** By file name (`settings-D0uDeSkd.js`): the only names ever served, so no path reaches the disk. */
  readonly assets: ReadonlyMap<string, BuiltAsset>;
}

/** The b24-pages package's build output, or null when it has not been built. */
export function builtPagesDir(): string | null {
  try {
    return new URL('dist/', import.meta.resolve('@prozvon/b24-pages/package.json')).pathname;
  } catch {
    return null;
  }
}

/**
 * Reads the built pages once, at start: a few hundred KB, and serving from memory means a request
 * path is only ever a key in a map (no traversal, no stat per request). Files of a type not in
 * TYPES are not served. Null when a page is missing: the build has not run.
 */
export function loadBuiltPages(dir: string | null = builtPagesDir()): BuiltPages | null {
  if (dir === null) return null;
  try {
    const html = new Map<PageName, string>();
    for (const name of PAGE_NAMES) html.set(name, readFileSync(join(dir, `${name}.html`), 'utf8'));
    const assets = new Map<string, BuiltAsset>();
    for (const file of readdirSync(join(dir, 'assets'))) {
      const type = TYPES[extname(file)];
      if (type !== undefined) assets.set(file, builtAsset(readFileSync(join(dir, 'assets', file)), type));
    }
    return { html, assets };
  } catch {
    return null;
  }
}

/** The pages' CSP: their scripts and styles are files of the build (the kit sets inline styles). */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'";

export function pageResponse(html: string, status = 200): Response {
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': PAGE_CSP,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
  });
}

/**
 * `GET /b24/pages/assets/<file>`: a built file by its exact name. The names carry a content hash,
 * so a year's immutable caching is safe; anything else is 404.
 */
export function createAssetRoute(pages: BuiltPages | null) {
  return async (request: Request): Promise<Response> => {
    const name = new URL(request.url).pathname.slice(ASSETS_PATH.length);
    const asset = /^[A-Za-z0-9._-]{1,200}$/.test(name) ? pages?.assets.get(name) : undefined;
    if (asset === undefined) return new Response('not found', { status: 404 });
    const gzip = asset.gzipped !== null && /\bgzip\b/i.test(request.headers.get('accept-encoding') ?? '');
    return new Response((gzip ? asset.gzipped : asset.body) as Uint8Array<ArrayBuffer>, {
      headers: {
        'content-type': asset.type,
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        vary: 'accept-encoding',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      },
    });
  };
}
