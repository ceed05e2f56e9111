// The Node load generator of b24-sim.js, for hosts without wrk: `node b24-sim-node-load.js <base>
// <leadId> <seconds> <inFlight> [<ca>]` posts `crm.lead.get` for that many seconds over `inFlight`
// keep-alive connections, one request in flight on each, and prints `{ done, failed, elapsed,
// cpuMicros }` on stdout. An https base is trusted through the simulator's CA (PEM), the last argument.
//
// A minimal HTTP/1.1 client on net/tls sockets, not fetch nor node:http: on a 2-core host the client
// shares the cores with the simulator, and fetch cost about as much CPU per request as the simulator
// itself (node:http with a keep-alive Agent still ~60–110 µs). Here a request is one prebuilt buffer
// written to the socket; an answer is read by its content-length and counts only if it is a 200
// whose body is the lead asked for (a prefix check, not a JSON.parse).
import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';

const [, , base, leadId, seconds, inFlight, ca] = process.argv;
const url = new URL(`${base}crm.lead.get`);
const body = JSON.stringify({ id: Number(leadId) });
const request = Buffer.from(
  `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
);
const expected = Buffer.from(`{"result":{"ID":"${leadId}"`);
const OK = Buffer.from('HTTP/1.1 200 ');
const HEAD_END = Buffer.from('\r\n\r\n');
const deadline = performance.now() + Number(seconds) * 1000;

let done = 0;
let failed = 0;

/**
 * One keep-alive connection sending the request again as soon as the answer is in, until the
 * deadline. A wrong answer counts a failure and the next request follows; a broken connection
 * (or framing this client does not expect) counts one and ends the connection.
 */
function connection() {
  return new Promise((resolve) => {
    const options = { host: url.hostname, port: Number(url.port) };
    const socket =
      url.protocol === 'https:' ? connectTls({ ...options, ca }, send) : connectTcp(options, send);
    socket.setNoDelay(true);
    let pending = Buffer.alloc(0);
    let stopped = false;
    const stop = (ok) => {
      if (stopped) return;
      stopped = true;
      if (!ok) failed++;
      socket.destroy();
      resolve();
    };
    function send() {
      if (performance.now() >= deadline) stop(true);
      else socket.write(request);
    }
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const headEnd = pending.indexOf(HEAD_END);
      if (headEnd < 0) return;
      const head = pending.toString('latin1', 0, headEnd);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (length === null) return stop(false); // the simulator always sends one
      const bodyStart = headEnd + HEAD_END.length;
      const end = bodyStart + Number(length[1]);
      if (pending.length < end) return;
      if (pending.length > end) return stop(false); // one request in flight: nothing may follow
      const ok =
        pending.subarray(0, OK.length).equals(OK) &&
        pending.subarray(bodyStart, bodyStart + expected.length).equals(expected);
      pending = Buffer.alloc(0);
      if (ok) done++;
      else failed++;
      send();
    });
    socket.on('error', () => stop(false));
    socket.on('close', () => stop(performance.now() >= deadline));
  });
}

const cpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(Array.from({ length: Number(inFlight) }, connection));
const elapsed = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(JSON.stringify({ done, failed, elapsed, cpuMicros: cpu.user + cpu.system }));
