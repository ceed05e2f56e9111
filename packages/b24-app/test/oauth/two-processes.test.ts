import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildPackages } from '@prozvon/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { PortalClients } from '../../src/oauth/portal-clients.js';
import { PortalTokenRefresher } from '../../src/oauth/token-refresher.js';
import { parseMasterKey, SecretBox } from '../../src/portals/secrets.js';
import { SqlitePortalStore } from '../../src/portals/sqlite-portal-store.js';
import { useTempDir } from '../portals/temp-dir.js';
import { installPortal, refreshGrants, useSim } from './sim-portal.js';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', '..', '..');
const CALLS = 20;

beforeAll(() => {
  // The child runs the built package (plain Node, no test transform), and it runs its
  // dependencies' builds. `npm test` builds first (turbo); this covers a direct `vitest run`.
  buildPackages(
    join(packages, '..'),
    [
      'sdk',
      'adapters-bitrix24',
      'adapters-sms',
      'adapters-telegram',
      'adapters-voximplant',
      'testkit',
      'store-postgres',
      'b24-app',
    ].map((p) => join(packages, p)),
  );
}, 180_000);

/** The child's output, line by line, and its end. */
function startChild(settings: Record<string, unknown>) {
  const child: ChildProcess = spawn(process.execPath, [join(here, 'refresh-child.mjs')], {
    env: { ...process.env, PROZVON_REFRESH_CHILD: JSON.stringify(settings) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error(`the child ended early; its stderr:\n${stderr}`);
    return line.value;
  };
  const ended = new Promise<number | null>((resolve) => child.once('close', resolve));
  return { child, next, ended, stderr: () => stderr };
}

describe('two app processes on one SQLite file', () => {
  const dir = useTempDir();
  const startSim = useSim();

  it('20 calls in each with an expired token: one refresh at the OAuth server, all 40 succeed', async () => {
    const env = await startSim();
    const masterKey = randomBytes(32).toString('base64');
    const db = join(dir(), 'prozvon.db');
    const store = new SqlitePortalStore(db, { secrets: new SecretBox(parseMasterKey(masterKey)) });
    const portal = await installPortal(env, store);
    // Both processes read lock expiry from the wall clock; the simulator's runs two hours ahead,
    // so the portal answers expired_token while b24jssdk still thinks the token good.
    const refresher = new PortalTokenRefresher({ store, app: env.app });
    const client = new PortalClients({ refresher, app: env.app }).forPortal(portal);
    env.clock.advance(7_200_000);

    const other = startChild({
      db,
      masterKey,
      memberId: portal.memberId,
      app: env.app,
      ca: env.sim.ca,
      calls: CALLS,
    });
    try {
      expect(await other.next()).toBe('ready');
      other.child.stdin?.write('go\n');
      const mine = await Promise.all(
        Array.from({ length: CALLS }, () => client.actions.v2.call.make({ method: 'profile' })),
      );
      const theirs = JSON.parse(await other.next());
      expect(await other.ended, other.stderr()).toBe(0);
      expect(theirs).toEqual({ ok: CALLS, failed: [] });
      expect(mine.filter((a) => a.isSuccess)).toHaveLength(CALLS);
      expect(refreshGrants(env.sim).map((r) => r.outcome)).toEqual(['issued']);
      const stored = await store.getByMemberId(portal.memberId);
      expect(stored?.tokenVersion).toBe(portal.tokenVersion + 1);
    } finally {
      other.child.kill();
      await store.close();
    }
  }, 60_000);
});
