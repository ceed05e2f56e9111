import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under this condition, so tests
// run against src/ without building dependencies first.
const conditions = ['@prozvon/source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  // Vitest transforms with Oxc, which ignores tsconfig's decorator flags; Inversify's
  // @injectable/@inject need the legacy decorators (../shared/STACK.md).
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Guards, not timings: a test that hangs still stops by itself, but a slow one on a loaded CI
    // machine (21 test tasks on two cores) is not failed for being slow. A PostgreSQL test doing
    // a few thousand sequential statements passed here in 6 s and timed out at 20 s in CI.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for a condition; its 1 s default was too short for a browser's save round
    // trip with the whole suite on two cores (a page test failed so in CI). A guard, not a timing.
    expect: { poll: { timeout: 10_000 } },
  },
});
