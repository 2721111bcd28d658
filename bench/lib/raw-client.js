/**
 * A yardstick for measurement accuracy: the plainest possible client (one undici Agent,
 * one request at a time, timed from before the request to its response headers, as the
 * http driver times a turn) against the same target. What it measures beyond the target's
 * own hold time is the floor any Node HTTP client gets on this machine: loopback, HTTP
 * parsing on both sides, event-loop wake-ups.
 */
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { median, round } from './stats.js';

export async function rawClientFloor(target, { delayMs, requests }) {
  await target.configure({ turnDelayMs: delayMs, precise: true });
  const agent = new Agent({ keepAliveTimeout: 4_000 });
  const { origin } = new URL(target.url);
  const measured = [];
  try {
    for (let i = 0; i < requests; i++) {
      const sentAt = performance.now();
      const response = await agent.request({ origin, path: '/calls/raw/turns', method: 'POST', body: '{"text":"hi"}', headers: { 'content-type': 'application/json' } });
      measured.push(performance.now() - sentAt);
      await response.body.text();
    }
  } finally {
    await agent.close();
  }
  const { holdsMs } = await target.stats();
  return { requests, clientP50Ms: round(median(measured), 4), targetHoldP50Ms: round(median(holdsMs), 4), clientMinusTrueP50Ms: round(median(measured) - median(holdsMs), 4) };
}
