import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type CodeBlock, preambleOf, readmeBlocks, readmes } from './support/readme-blocks.js';

// Issue 14, point 5: every TypeScript block of every README compiles under `strict`, against the
// packages' sources. A block may use names it does not declare (an adapter made elsewhere) only
// through the preamble convention: an HTML comment right above its fence,
// `<!-- ts-preamble: declare const crm: import('@prozvon/sdk').CrmPort; -->`, invisible on the page.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// Inside the repository (node_modules resolution), ignored by git and Biome.
const scratch = join(root, 'packages', 'readme-check', '.blocks');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const blocks: CodeBlock[] = readmes(root).flatMap((file) => readmeBlocks(root, file));

const fileName = (block: CodeBlock) => `${block.file.replace(/[^\w]+/g, '_')}_L${block.line}.ts`;

describe('README TypeScript blocks', () => {
  it('finds the blocks of every README', () => {
    const files = new Set(blocks.map((b) => b.file));
    for (const file of ['README.md', 'packages/sdk/README.md', 'packages/testkit/README.md'])
      expect(files).toContain(file);
  });

  it('every block type-checks under strict', { timeout: 120_000 }, () => {
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    for (const block of blocks) {
      // Each block is a module of its own (top-level await, its own names).
      writeFileSync(join(scratch, fileName(block)), `${preambleOf(block)}\n${block.code}\nexport {};\n`);
    }
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../../tsconfig.base.json',
        compilerOptions: {
          customConditions: ['@prozvon/source'],
          allowImportingTsExtensions: true,
          noEmit: true,
          noUnusedLocals: false,
        },
        include: ['*.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', scratch], {
        cwd: scratch,
        stdio: 'pipe',
      });
    } catch (error) {
      output = String((error as { stdout?: Buffer }).stdout ?? error);
    }
    // Name the README and its line, not the scratch file.
    const byFile = new Map(blocks.map((b) => [fileName(b), b]));
    const readable = output.replace(
      /^(\S+\.ts)\((\d+),\d+\)/gm,
      // Line 1 of the scratch file is the preamble; line 2 the fence's next line.
      (_, f: string, l: string) => {
        const block = byFile.get(f);
        return block ? `${block.file}:${block.line + Number(l) - 1}` : f;
      },
    );
    expect(readable).toBe('');
  });
});
