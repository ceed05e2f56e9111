// A second app process for two-processes.test.ts: the same SQLite file, its own refresher and
// clients, 20 calls at once when the parent says "go". Runs the built package (plain Node).
import { createInterface } from 'node:readline';
import tls from 'node:tls';
import {
  PortalClients,
  PortalTokenRefresher,
  parseMasterKey,
  SecretBox,
  SqlitePortalStore,
} from '../../dist/index.js';

const settings = JSON.parse(process.env.PROZVON_REFRESH_CHILD ?? '{}');
// What trustTestkitCa does in the parent: the simulator's CA, TLS checks on.
tls.setDefaultCACertificates([...tls.getCACertificates('default'), settings.ca]);

const store = new SqlitePortalStore(settings.db, {
  secrets: new SecretBox(parseMasterKey(settings.masterKey)),
});
const refresher = new PortalTokenRefresher({ store, app: settings.app });
const portal = await store.getByMemberId(settings.memberId);
const client = new PortalClients({ refresher, app: settings.app }).forPortal(portal);

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) if (line === 'go') break;
lines.close();

const answers = await Promise.allSettled(
  Array.from({ length: settings.calls }, () => client.actions.v2.call.make({ method: 'profile' })),
);
const ok = answers.filter((a) => a.status === 'fulfilled' && a.value.isSuccess).length;
const failed = answers
  .filter((a) => a.status === 'rejected')
  .map((a) => String(a.reason?.originalError ?? a.reason));
process.stdout.write(`${JSON.stringify({ ok, failed })}\n`);
await store.close();
