// The Bitrix24 app in a process of its own, for the app benchmarks: the parent holds the
// simulators and the load, so this process's RSS and event loop are the app's alone. It is driven
// over IPC: `start` (config, the simulator's CA, operator defaults), `configure` (settings of every
// installed portal, as the shop owner would save them), `stats`, `memory`, `snapshot`, `stop`.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import v8 from 'node:v8';
import { parseMasterKey, SecretBox, startApp } from '@prozvon/b24-app';
import { silentLogger } from '@prozvon/sdk';
import { trustTestkitCa } from '@prozvon/testkit';

let app;
let profiler;

const handlers = {
  async start({ config, ca, defaults }) {
    trustTestkitCa(ca);
    app = await startApp({
      config,
      secrets: new SecretBox(parseMasterKey(randomBytes(32).toString('base64'))),
      defaults,
      logger: silentLogger(),
      drainEveryMs: 3_600_000,
    });
    return { url: app.url };
  },
  // Every active portal gets these settings; answers each portal's intake key and secrets.
  async configure({ settings }) {
    const portals = [];
    for (const portal of await app.portals.listActive()) {
      await app.portals.updateSettings(portal.memberId, { settings }, { by: 'bench', at: Date.now() });
      app.tenants.forget(portal.memberId);
      portals.push({
        memberId: portal.memberId,
        portalKey: portal.portalKey,
        intakeSecret: portal.secrets['intake.secret'],
        voiceSecret: portal.secrets['voice.secret'],
      });
    }
    return { portals };
  },
  async stats() {
    return app.host.stats();
  },
  async memory({ collect = false } = {}) {
    // Collected first when asked: what is live, as against the heap V8 grew and keeps.
    if (collect) globalThis.gc?.();
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    const heapTotal = v8.getHeapStatistics().total_heap_size;
    const spaces = Object.fromEntries(
      v8.getHeapSpaceStatistics().map((s) => [s.space_name, [s.space_size, s.space_used_size]]),
    );
    return {
      rss,
      heapUsed,
      heapTotal,
      external,
      arrayBuffers,
      spaces,
      resources: countOf(process.getActiveResourcesInfo()),
      mappings: largestMappings(),
      peakRss: process.resourceUsage().maxRSS * 1024,
      cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    };
  },
  // A heap snapshot of this process, collected first (PROZVON_BENCH_HEAP_SNAPSHOT in rss-portals.js).
  async snapshot({ path }) {
    globalThis.gc?.();
    return { path: v8.writeHeapSnapshot(path) };
  },
  // The sampling heap profiler, collected objects included: where the allocations are made,
  // garbage too (PROZVON_BENCH_HEAP_PROFILE in rss-portals.js).
  async profileStart() {
    profiler = new Session();
    profiler.connect();
    await profiler.post('HeapProfiler.startSampling', {
      samplingInterval: 16_384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    return {};
  },
  async profileStop() {
    const { profile } = await profiler.post('HeapProfiler.stopSampling');
    profiler.disconnect();
    return { profile };
  },
  async stop() {
    await app?.stop();
    setImmediate(() => process.exit(0));
    return {};
  },
};

/** Linux: the process's mappings with the most resident memory (heap, stacks, files), in kB. */
function largestMappings() {
  let text;
  try {
    text = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return [];
  }
  const maps = [];
  let current;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      current = {
        name: head[3] || '[anon]',
        sizeKb: (parseInt(head[2], 16) - parseInt(head[1], 16)) / 1024,
        rssKb: 0,
      };
      maps.push(current);
    } else if (current && line.startsWith('Rss:')) current.rssKb = Number(line.split(/\s+/)[1]);
  }
  const byName = new Map();
  for (const { name, rssKb } of maps) byName.set(name, (byName.get(name) ?? 0) + rssKb);
  const anon = maps.filter((m) => m.name === '[anon]').sort((a, b) => b.rssKb - a.rssKb);
  return {
    byName: [...byName].sort((a, b) => b[1] - a[1]).slice(0, 8),
    anonCount: anon.length,
    largestAnon: anon.slice(0, 12).map((m) => [m.sizeKb, m.rssKb]),
  };
}

function countOf(names) {
  const counts = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

process.on('message', async ({ id, type, ...body }) => {
  try {
    process.send({ id, ok: true, value: await handlers[type](body) });
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) });
  }
});
