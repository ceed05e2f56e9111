import { accessSync, constants } from 'node:fs';
import { isCi } from './ci.js';

/** Where a browser test finds Chromium, or why it cannot run. */
export type ChromiumLookup =
  | { readonly found: true; readonly executablePath: string }
  | { readonly found: false; readonly reason: string };

/** The flags every browser test launches Chromium with: headless, no sandbox, nothing phoning home. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/**
 * Finds Chromium for browser tests: `PROZVON_CHROMIUM`, else Debian's `/usr/bin/chromium`. A user's
 * fresh machine may have none, and `npm test` must still pass there: the browser tests are then
 * skipped with one line saying how to enable them. Under CI (`CI` set) a missing browser is a
 * failure, never a skip: `.ci/run` installs it, so its absence means the run proves nothing.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const configured = env.PROZVON_CHROMIUM?.trim();
  const path = configured || '/usr/bin/chromium';
  if (isExecutable(path)) return { found: true, executablePath: path };
  const reason = configured
    ? `PROZVON_CHROMIUM=${configured} is not an executable file`
    : 'no Chromium at /usr/bin/chromium';
  if (isCi(env)) {
    throw new Error(
      `Browser tests cannot run under CI: ${reason}. Install it (apt-get install -y chromium).`,
    );
  }
  return {
    found: false,
    reason: `browser tests skipped: ${reason}; install it (apt-get install -y chromium) or set PROZVON_CHROMIUM to a Chromium binary`,
  };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
