import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Runs the `openssl` binary. Node can make key pairs but not X.509 certificates, and openssl is on
 * every developer machine and CI image (STACK.md), so no npm package (and no install-time binary)
 * is needed. Asynchronous on purpose: certificate generation must not block a test's event loop.
 */
export async function openssl(args: readonly string[], cwd: string): Promise<void> {
  try {
    await execFileAsync('openssl', [...args], { cwd, timeout: 15_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed: ${stderr.trim() || String(error)}`, { cause: error });
  }
}
