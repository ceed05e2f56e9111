// What every SQLite worker thread (claim-, counter-, hammer-worker.ts) does first. A worker runs as
// plain Node 24 (types stripped), outside Vite, so importing this module maps the sources' `.js`
// imports to their `.ts` files before anything loads the store.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, next) {
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const source = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      if (existsSync(fileURLToPath(source))) return next(source.href, context);
    }
    return next(specifier, context);
  },
});

/** The SQLite store's module, imported only now that the hook above is in place. */
export async function importSqliteStore() {
  return (await import(
    new URL('../../../src/stores/sqlite/index.ts', import.meta.url).href
  )) as typeof import('../../../src/stores/sqlite/index.js');
}

/** Counts this worker in and waits until all `workers` are, so they hit the file at the same time. */
export function waitForAll(barrier: Int32Array, workers: number, pollMs: number): void {
  Atomics.add(barrier, 0, 1);
  while (Atomics.load(barrier, 0) < workers) Atomics.wait(barrier, 0, Atomics.load(barrier, 0), pollMs);
}
