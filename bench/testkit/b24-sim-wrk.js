// The wrk load generator of b24-sim.js, used when wrk is installed (Debian: `apt-get install wrk`):
// a C client on one thread costs a fraction of the simulator's CPU per request, so on a 2-core host
// the figure is the simulator's, not its client's. b24-sim-post.lua makes the request and checks
// each answer's body.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('b24-sim-post.lua', import.meta.url));

/** `wrk <version>`, or undefined when it is not on PATH (or does not run). */
export function wrkVersion() {
  return new Promise((resolve) => {
    const child = spawn('wrk', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', () => resolve(undefined));
    // `wrk --version` prints `wrk 4.1.0 …` and exits 1, so the exit code says nothing.
    child.on('close', () => resolve(/^wrk \S+/.exec(output)?.[0]));
  });
}

/**
 * Runs wrk against `url` (one thread, `inFlight` keep-alive connections, one request in flight
 * each) and returns `{ done, failed, elapsed }` like the Node generator.
 */
export function runWrk(url, leadId, seconds, inFlight) {
  const args = ['-t1', `-c${inFlight}`, `-d${seconds}s`, '-s', SCRIPT, url, '--', String(leadId)];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`wrk exited with ${code}:\n${output}`));
      else resolve(parseWrk(output));
    });
  });
}

const count = (output, pattern) => Number(pattern.exec(output)?.[1] ?? 0);

/** Reads wrk's summary: requests, their rate, non-2xx answers, socket errors, wrong bodies. */
function parseWrk(output) {
  const requests = count(output, /(\d+) requests in /);
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  if (!(requests > 0 && rate > 0)) throw new Error(`cannot read wrk's output:\n${output}`);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const errors = socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  // Socket errors are not among wrk's completed requests; wrong answers are.
  const wrong = count(output, /Non-2xx or 3xx responses: (\d+)/) + count(output, /wrong bodies: (\d+)/);
  return { done: requests - wrong, failed: wrong + errors, elapsed: requests / rate };
}
