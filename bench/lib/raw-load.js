/**
 * The transport floor for the cost suite: the same calls as loadspec places (start, three
 * turns, end: five HTTP requests) at the same rate against the same target, by the plainest
 * client: one undici Agent in one thread, no templating, checks, metrics or results. Its
 * CPU per call is what these requests cost on this machine before loadspec does anything.
 *
 *   node bench/lib/raw-load.js <targetUrl> <ratePerSec> <calls>
 * prints one JSON line: { calls, ok, cpuMs, wallMs }.
 */
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';

const [url, rateArg, callsArg] = process.argv.slice(2);
const ratePerSec = Number(rateArg);
const calls = Number(callsArg);
const { origin } = new URL(url);
const agent = new Agent({ keepAliveTimeout: 4_000 });
const json = { 'content-type': 'application/json' };

async function post(path, body) {
  const response = await agent.request({ origin, path, method: 'POST', body: JSON.stringify(body), headers: json });
  return response.body.json();
}

async function call(index) {
  const { callId } = await post('/calls', { scenario: 'book', variant: 'default', caller: `caller ${index}` });
  for (let turn = 0; turn < 3; turn++) await post(`/calls/${callId}/turns`, { text: `turn ${turn}` });
  const end = await agent.request({ origin, path: `/calls/${callId}`, method: 'DELETE' });
  await end.body.dump();
}

const cpuStart = process.cpuUsage();
const startMs = performance.now();
let ok = 0;
const running = [];
await new Promise((resolve) => {
  let next = 0;
  const tick = () => {
    const due = Math.floor(((performance.now() - startMs) * ratePerSec) / 1000) + 1;
    while (next < Math.min(due, calls)) running.push(call(next++).then(() => ok++, () => undefined));
    if (next >= calls) resolve();
    else setTimeout(tick, 1000 / ratePerSec);
  };
  tick();
});
await Promise.all(running);
const cpu = process.cpuUsage(cpuStart);
await agent.close();
process.stdout.write(`${JSON.stringify({ calls, ok, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - startMs })}\n`);
