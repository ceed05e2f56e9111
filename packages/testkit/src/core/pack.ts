import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One package as `npm pack` made it: its name, its tarball (a file in the scratch dir), its files. */
export interface PackedPackage {
  readonly name: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/**
 * Builds the workspace packages `dirs` (relative to the repository `root`, like `packages/sdk`),
 * packs them as npm publishes them into `scratch`, and unpacks each tarball into
 * `scratch/node_modules/<name>`, as an install would. With `scratch` inside the repository, the
 * packages' own dependencies resolve from the root node_modules: no registry, as a test never
 * leaves loopback.
 */
export function packInto(root: string, scratch: string, dirs: readonly string[]): PackedPackage[] {
  // Incremental: nothing to do after `npm run build`.
  execFileSync(
    join(root, 'node_modules', '.bin', 'tsc'),
    ['-b', ...dirs.map((dir) => join(root, dir, 'tsconfig.build.json'))],
    { cwd: root, stdio: 'pipe' },
  );
  const workspaces = dirs.flatMap((dir) => ['-w', dir]);
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', scratch, ...workspaces], {
      cwd: root,
    }).toString(),
  ) as PackedPackage[];
  for (const { name, filename } of packed) {
    const installed = join(scratch, 'node_modules', ...name.split('/'));
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(scratch, filename), '-C', installed, '--strip-components=1']);
  }
  return packed;
}

/**
 * Makes `scratch` a shop's project of one file, `main.ts` (an ES module, strict TypeScript for
 * Node), and compiles it with the workspace's compiler, which throws when it does not type-check
 * against the installed packages' types. Returns the compiled file to run.
 */
export function compileScratchProject(root: string, scratch: string, main: string): string {
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        target: 'es2024',
        strict: true,
        types: ['node'],
        outDir: 'out',
      },
      files: ['main.ts'],
    }),
  );
  writeFileSync(join(scratch, 'main.ts'), main);
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', scratch], { cwd: scratch, stdio: 'pipe' });
  return join(scratch, 'out', 'main.js');
}
