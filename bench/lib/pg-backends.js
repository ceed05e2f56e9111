// The server's side of a PostgreSQL benchmark: the CPU of the backends serving this process's
// connections (and only those: other sessions share the server and the machine), read from
// /proc/<pid>/stat, and the statements this process sent. For the CPU the server must run on this
// machine and its /proc be readable (Linux); otherwise `serverCpuMs` is null.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import pg from 'pg';

/** Clock ticks a second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/** This process's TCP connections' local ports, from its socket fds and /proc/net/tcp{,6}. */
function localPorts() {
  const inodes = new Set();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // Closed between the listing and the read.
    }
  }
  const ports = new Set();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && inodes.has(fields[9])) ports.add(Number.parseInt(fields[1].split(':')[1], 16));
    }
  }
  return ports;
}

function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15; the slice starts at field 3.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
  } catch {
    return null;
  }
}

/**
 * A meter of the backends of this process's connections to `url`: `read()` gives the CPU they
 * used so far (ms; a backend first seen later counts from its start, one gone is lost) and the
 * statements sent by every pg client of the process (`pg.Client#query` calls, BEGIN and COMMIT
 * included). With `applications`, the backends of every connection to the database whose
 * application_name is one of them, whichever process holds it (child processes' engines).
 */
export async function pgServerMeter(url, { applications } = {}) {
  const probe = new pg.Client({ connectionString: url, application_name: 'prozvon-bench-probe' });
  await probe.connect();
  const own = Number((await probe.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const statements = countQueries();

  async function backends() {
    if (applications !== undefined) {
      const { rows } = await probe.query(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = ANY($1::text[]) AND pid <> $2`,
        [applications, own],
      );
      return rows.map((row) => Number(row.pid));
    }
    const ports = [...localPorts()];
    const { rows } = await probe.query(
      'SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1::int[]) AND pid <> $2',
      [ports, own],
    );
    return rows.map((row) => Number(row.pid));
  }

  return {
    /** Each backend's CPU so far (ms), and the statements sent so far. */
    async read() {
      const count = statements.count;
      const byName = statements.byName;
      const cpu = new Map();
      for (const pid of await backends()) cpu.set(pid, cpuMsOf(pid));
      return { cpu, statements: count, byName };
    },
    /**
     * CPU and statements between two reads: a backend first seen at `to` counts from its start,
     * one gone by then is lost. The probe's own query is not counted.
     */
    since(from, to) {
      if (process.env.PROZVON_BENCH_PG_STATEMENTS === '1') {
        for (const [name, n] of to.byName) {
          const d = n - (from.byName.get(name) ?? 0);
          if (d > 0) console.error(`# ${name}: ${d}`);
        }
      }
      let serverCpuMs = 0;
      for (const [pid, ms] of to.cpu) {
        const before = from.cpu.has(pid) ? from.cpu.get(pid) : 0;
        if (ms === null || before === null)
          return { serverCpuMs: null, statements: to.statements - from.statements - 1 };
        serverCpuMs += ms - before;
      }
      return { serverCpuMs, statements: to.statements - from.statements - 1 };
    },
    async close() {
      statements.restore();
      await probe.end();
    },
  };
}

/**
 * Counts `query` calls on the pg the store uses (the store package's own resolution of `pg`,
 * the same module as the bench's when the workspace hoists it).
 */
export function countQueries() {
  const require = createRequire(import.meta.resolve('@prozvon/store-postgres'));
  const clients = new Set([pg.Client, require('pg').Client]);
  const counter = { count: 0, byName: new Map() };
  const originals = [...clients].map((Client) => {
    const original = Client.prototype.query;
    Client.prototype.query = function (...args) {
      counter.count++;
      const [first] = args;
      const name =
        typeof first === 'string' ? first.slice(0, 24) : (first?.name ?? first?.text?.slice(0, 24));
      counter.byName.set(name, (counter.byName.get(name) ?? 0) + 1);
      return original.apply(this, args);
    };
    return [Client, original];
  });
  return {
    get count() {
      return counter.count;
    },
    /** Calls by statement name (or the text's start), for a profile. */
    get byName() {
      return new Map(counter.byName);
    },
    restore() {
      for (const [Client, original] of originals) Client.prototype.query = original;
    },
  };
}
