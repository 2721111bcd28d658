/**
 * The pacing yardstick: the plainest pacer, one Node thread with one undici Agent, that
 * starts a call (POST /calls) at start + k / rate, sleeping with setTimeout until 1 ms
 * before each due time and yielding with setImmediate after (as loadspec's ticker does),
 * no worker hand-off. Judged at the same target the same way, it shows how precisely
 * this machine lets any Node process keep a schedule at the time.
 *
 *   node bench/lib/raw-pace.js <targetUrl> <ratePerSec> <calls>
 * prints one JSON line: { startMs, ratePerSec, calls } (startMs is epoch ms).
 */
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';

const [url, rateArg, callsArg] = process.argv.slice(2);
const ratePerSec = Number(rateArg);
const calls = Number(callsArg);
const { origin } = new URL(url);
const agent = new Agent({ keepAliveTimeout: 4_000 });
const epochMs = () => performance.timeOrigin + performance.now();
const pending = [];

function start() {
  pending.push(
    agent
      .request({ origin, path: '/calls', method: 'POST', body: '{"caller":"yardstick"}', headers: { 'content-type': 'application/json' } })
      .then((r) => r.body.dump())
      .catch(() => undefined),
  );
}

const startMs = epochMs();
for (let k = 0; k < calls; k++) {
  const dueMs = startMs + (k * 1000) / ratePerSec;
  const waitMs = dueMs - epochMs();
  if (waitMs > 1) await new Promise((resolve) => setTimeout(resolve, waitMs - 1));
  while (epochMs() < dueMs) await new Promise((resolve) => setImmediate(resolve));
  start();
}
await Promise.all(pending);
await agent.close();
process.stdout.write(`${JSON.stringify({ startMs, ratePerSec, calls })}\n`);
