import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppPage } from '../../src/pages/app-page.js';
import {
  ASSETS_PATH,
  type BuiltPages,
  createAssetRoute,
  loadBuiltPages,
} from '../../src/pages/built-pages.js';
import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function builtDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prozvon-pages-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'assets'));
  for (const name of ['settings', 'lead-tab', 'dashboard'])
    writeFileSync(join(dir, `${name}.html`), `<h1>${name}</h1>`);
  writeFileSync(join(dir, 'assets', 'settings-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'Input-x_Y.css'), 'body{}');
  writeFileSync(join(dir, 'assets', 'notes.txt'), 'not served');
  writeFileSync(join(dir, 'secret.js'), 'outside assets');
  return dir;
}

const get = (path: string) => new Request(`http://app.test${path}`);

describe('the built pages', () => {
  it('serves each asset by its exact name with its type and a year’s immutable caching', async () => {
    const route = createAssetRoute(loadBuiltPages(builtDir()));
    const js = await route(get(`${ASSETS_PATH}settings-abc123.js`));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toBe('console.log(1)');
    const css = await route(get(`${ASSETS_PATH}Input-x_Y.css`));
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('sends the gzipped body to a browser that takes gzip', async () => {
    const dir = builtDir();
    const script = `export const pages = ${JSON.stringify('settings '.repeat(500))};`;
    writeFileSync(join(dir, 'assets', 'big-1.js'), script);
    const route = createAssetRoute(loadBuiltPages(dir));
    const zipped = await route(
      new Request(`http://app.test${ASSETS_PATH}big-1.js`, { headers: { 'accept-encoding': 'gzip, br' } }),
    );
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('accept-encoding');
    const bytes = new Uint8Array(await zipped.arrayBuffer());
    expect(bytes.byteLength).toBeLessThan(script.length / 10);
    expect(gunzipSync(bytes).toString('utf8')).toBe(script);
    const plain = await route(get(`${ASSETS_PATH}big-1.js`));
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
  });

  it('answers 404 for anything else: other types, other folders, traversal in any spelling', async () => {
    const route = createAssetRoute(loadBuiltPages(builtDir()));
    for (const name of [
      'notes.txt',
      'missing.js',
      '../secret.js',
      '..%2Fsecret.js',
      '%2e%2e/secret.js',
      '..\\secret.js',
      '',
      '.',
      'settings-abc123.js/',
    ]) {
      const response = await route(get(`${ASSETS_PATH}${name}`));
      expect(response.status, name).toBe(404);
    }
  });

  it('is null when the build has not run, and the pages then say so instead of a blank page', async () => {
    expect(loadBuiltPages(join(tmpdir(), 'prozvon-no-such-build'))).toBeNull();
    const page = createAppPage('settings', { portals: new MemoryPortalStore(), pages: null });
    const response = await page(get('/b24/app'));
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
  });

  it('serves a page on GET and on a POST that names no portal, never cached, under a CSP without inline script', async () => {
    const pages = loadBuiltPages(builtDir()) as BuiltPages;
    const page = createAppPage('lead-tab', { portals: new MemoryPortalStore(), pages });
    for (const request of [
      get('/b24/lead-tab'),
      new Request('http://app.test/b24/lead-tab', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'PLACEMENT=CRM_LEAD_DETAIL_TAB',
      }),
    ]) {
      const response = await page(request);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('<h1>lead-tab</h1>');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self';");
    }
  });
});
