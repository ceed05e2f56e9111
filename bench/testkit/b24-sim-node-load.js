// The Node load generator of b24-sim.js, for hosts without wrk: `node b24-sim-node-load.js <base>
// <leadId> <seconds> <inFlight> [<ca>]` posts `crm.lead.get` for that many seconds with that many requests
// in flight and prints `{ done, failed, elapsed, cpuMicros }` on stdout. An https base is trusted
// through the simulator's CA (PEM), the last argument.
//
// node:http with a keep-alive Agent (one socket per request in flight), not fetch: undici's fetch
// cost this process about as much CPU per request as the simulator itself, on a 2-core host that
// left the simulator one core shared with its own client. A response counts only if it is a 200
// whose body is the lead asked for; checking its prefix spares this process a JSON.parse a request.
import * as http from 'node:http';
import * as https from 'node:https';

const [, , base, leadId, seconds, inFlight, ca] = process.argv;
const url = new URL(`${base}crm.lead.get`);
const body = Buffer.from(JSON.stringify({ id: Number(leadId) }));
const expected = `{"result":{"ID":"${leadId}"`;
const { Agent, request } = url.protocol === 'https:' ? https : http;
const agent = new Agent({ keepAlive: true, maxSockets: Number(inFlight), ca });
const options = {
  agent,
  method: 'POST',
  hostname: url.hostname,
  port: url.port,
  path: url.pathname,
  headers: { 'content-type': 'application/json', 'content-length': body.length },
};

/** One request; resolves true when the answer is the lead. Network errors count as failures. */
function get() {
  return new Promise((resolve) => {
    const req = request(options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve(res.statusCode === 200 && text.startsWith(expected)));
      res.on('error', () => resolve(false));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

let done = 0;
let failed = 0;
const deadline = performance.now() + Number(seconds) * 1000;
const worker = async () => {
  while (performance.now() < deadline) {
    if (await get()) done++;
    else failed++;
  }
};
const cpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(Array.from({ length: Number(inFlight) }, worker));
const elapsed = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
agent.destroy();
process.stdout.write(JSON.stringify({ done, failed, elapsed, cpuMicros: cpu.user + cpu.system }));
