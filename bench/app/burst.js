// app_b24_requests_per_lead, app_b24_limit_errors, app_burst_created_s: 500 leads POSTed at once
// to one portal's intake (the app in a child process, installed through the real install flow),
// the Bitrix24 simulator answering after 300 ms with its real leaky bucket (50, draining 2 a
// second). Counted: every REST request the simulator received for that portal from the first POST
// until every lead finished (calls answered, results written on the cards) — the app's batched
// creates, its crm.lead.list reads of the ONCRMLEADADD echoes of its own leads, the call records —
// plus OAuth token requests for it. `_created_s`: until all 500 CRM leads exist; `_bound_s`
// beside it: the requests the portal had received by then over its 2 a second.
import { figure, QUICK, sleep, startAppBench } from './lib.js';

const LEADS = QUICK ? 50 : 500;

const bench = await startAppBench({ portalCount: 1 });
const [portal] = bench.portals;
const b24Portal = bench.bitrix24.portal(portal.key);
bench.bitrix24.faults.latency(300);
// The install's own requests have drained out of the bucket long before leads come (a second).
await sleep(QUICK ? 1_000 : 25_000);

const counts = b24Portal.restRequests;
const before = {
  total: counts.total,
  limited: counts.queryLimitExceeded,
  byMethod: new Map(counts.byMethod),
};
const tokensBefore = bench.bitrix24.state.tokenRequests.length;
const ours = () => b24Portal.leads.all().filter((lead) => lead.ORIGINATOR_ID === 'prozvon').length;
const createdBefore = ours();

const started = performance.now();
const answers = await Promise.all(Array.from({ length: LEADS }, (_, i) => bench.submit(portal, i)));
const accepted = answers.filter((a) => a.status === 202).length;
const acceptedMs = performance.now() - started;

let createdMs = Number.NaN;
let requestsUntilCreated = Number.NaN;
const deadline = Date.now() + (QUICK ? 90_000 : 300_000);
while (Date.now() < deadline) {
  if (Number.isNaN(createdMs) && ours() - createdBefore >= accepted) {
    createdMs = performance.now() - started;
    requestsUntilCreated = counts.total - before.total;
  }
  if (!Number.isNaN(createdMs) && (await bench.app.ask('stats')).unfinished === 0) break;
  await sleep(Number.isNaN(createdMs) ? 50 : 500);
}
// Late echoes and card writes of the last leads.
await sleep(3_000);
const stats = await bench.app.ask('stats');
const tokenRequests = bench.bitrix24.state.tokenRequests
  .slice(tokensBefore)
  .filter((r) => r.memberId === b24Portal.memberId).length;
const requests = counts.total - before.total + tokenRequests;

figure('app_b24_requests_per_lead', requests / Math.max(1, accepted), 'requests');
figure('app_b24_limit_errors', counts.queryLimitExceeded - before.limited, 'errors');
figure('app_burst_created_s', createdMs / 1000, 's');
figure('app_burst_created_bound_s', requestsUntilCreated / 2, 's');
// The bucket starts empty and holds 50, so its first 50 requests pass at once: the floor is lower.
figure('app_burst_created_bound_after_burst_s', Math.max(0, requestsUntilCreated - 50) / 2, 's');
figure('app_burst_accepted_s', acceptedMs / 1000, 's');
figure('app_burst_leads_accepted', accepted, 'leads');
if (stats.unfinished > 0) figure('app_burst_leads_unfinished', stats.unfinished, 'leads');
const byMethod = [...counts.byMethod]
  .map(([method, n]) => [method, n - (before.byMethod.get(method) ?? 0)])
  .filter(([, n]) => n > 0)
  .map(([method, n]) => `${method} ${n}`);
console.error(
  `# app burst: ${requests} requests (${byMethod.join(', ')}, oauth ${tokenRequests}); ${requestsUntilCreated} until all created`,
);
console.error(`# app burst: leads by state ${JSON.stringify(stats.byState)}`);
await bench.stop();
