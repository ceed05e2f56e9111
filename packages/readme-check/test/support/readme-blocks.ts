import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface CodeBlock {
  /** The README, relative to the repository. */
  readonly file: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  readonly code: string;
  /** What the block uses but does not declare: the `<!-- ts-preamble: … -->` right above its fence. */
  readonly preamble: string;
}

/** Every ```ts block of a Markdown file, in order. */
export function typescriptBlocks(markdown: string, file: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue;
    const start = i;
    const above = /^<!--\s*ts-preamble:([\s\S]*?)-->\s*$/.exec(lines[i - 1] ?? '');
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    blocks.push({ file, line: start + 1, code: `${body.join('\n')}\n`, preamble: above?.[1]?.trim() ?? '' });
  }
  return blocks;
}

/** Every README.md of the repository outside node_modules, dist and dot-directories. */
export function readmes(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'dist') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'README.md') found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}

export function readmeBlocks(root: string, file: string): CodeBlock[] {
  return typescriptBlocks(readFileSync(join(root, file), 'utf8'), file);
}

/**
 * The shop's own lines of a block: neither blank, nor an import, nor only a comment. This is the
 * count the root README promises to keep at 15 or fewer.
 */
export function ownLines(code: string): string[] {
  const lines: string[] = [];
  let inImport = false;
  for (const line of code.split('\n')) {
    const text = line.trim();
    if (inImport) {
      inImport = !/from\s+['"][^'"]+['"];?$/.test(text);
      continue;
    }
    if (/^import\s/.test(text)) {
      inImport = !/(from\s+)?['"][^'"]+['"];?$/.test(text);
      continue;
    }
    if (text === '' || text.startsWith('//')) continue;
    lines.push(line);
  }
  return lines;
}

/** The block's preamble, as the lines put before it when it is compiled. */
export function preambleOf(block: CodeBlock): string {
  return block.preamble;
}
