import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium, findOldNode } from '../../src/index.js';

describe('findChromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prozvon-chromium-'));
  const fake = join(dir, 'chromium');
  writeFileSync(fake, '#!/bin/sh\n');
  chmodSync(fake, 0o755);

  it('takes PROZVON_CHROMIUM when it names an executable', () => {
    expect(findChromium({ PROZVON_CHROMIUM: fake })).toEqual({ found: true, executablePath: fake });
  });

  it('without a browser, outside CI: a skip with one line that says how to enable it', () => {
    const lookup = findChromium({ PROZVON_CHROMIUM: join(dir, 'missing') });
    expect(lookup.found).toBe(false);
    if (lookup.found) return;
    expect(lookup.reason).toContain('skipped');
    expect(lookup.reason).toContain('apt-get install -y chromium');
    expect(lookup.reason).not.toContain('\n');
  });

  it('without a browser under CI: a failure, never a skip', () => {
    expect(() => findChromium({ CI: 'true', PROZVON_CHROMIUM: join(dir, 'missing') })).toThrow(/under CI/);
    expect(findChromium({ CI: 'false', PROZVON_CHROMIUM: join(dir, 'missing') }).found).toBe(false);
  });
});

describe('findOldNode', () => {
  it('without an old Node, outside CI: a skip with the reason; under CI: a failure', () => {
    const missing = '/nonexistent/node';
    expect(findOldNode(missing, {})).toEqual({
      found: false,
      reason: `old-Node test skipped: no ${missing}`,
    });
    expect(() => findOldNode(missing, { CI: '1' })).toThrow(/under CI/);
  });
});
