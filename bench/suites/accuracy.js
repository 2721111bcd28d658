/**
 * Measurement accuracy: the bench target holds every turn for a fixed delay, measured on
 * its own side (precise mode: timer then spin, exact to a few µs). loadspec's reported
 * response_time p50/p99 (summary, HDR histogram at 3 significant digits) and the exact
 * percentiles of the per-turn `responseMs` in calls.jsonl are compared with the target's
 * own hold times. The difference is what loadspec adds: loopback HTTP both ways, undici,
 * and the worker's event loop. `rawClientFloor` is the same comparison for the plainest
 * client (bench/lib/raw-client.js): what no Node client on this machine gets below.
 */
import { forEachOutcome, processFigures, runLoadspec } from '../lib/loadspec.js';
import { rawClientFloor } from '../lib/raw-client.js';
import { httpSpecYaml, removeDir, scratchDir, writeSpec } from '../lib/specs.js';
import { quantile, round } from '../lib/stats.js';

const DELAYS_MS = [150, 1000];

export async function accuracySuite(ctx) {
  const calls = ctx.quick ? 20 : 100;
  const cases = [];
  for (const delayMs of DELAYS_MS) {
    ctx.log(`accuracy: ${calls} calls x 3 turns against a ${delayMs} ms target`);
    cases.push(await accuracyCase(ctx, delayMs, calls));
  }
  return { cases };
}

async function accuracyCase(ctx, delayMs, calls) {
  const dir = scratchDir('accuracy');
  try {
    await ctx.target.configure({ turnDelayMs: delayMs, precise: true });
    const spec = writeSpec(dir, 'accuracy.yaml', httpSpecYaml({ url: ctx.target.url, calls, concurrency: 1000, pacing: '10/s', turns: 3 }));
    const r = await runLoadspec({ spec, out: `${dir}/out`, live: 'json' }).done;
    const stats = await ctx.target.stats();
    const exact = [];
    await forEachOutcome(`${dir}/out`, (c) => {
      for (const t of c.turns) if (t.responseMs !== undefined) exact.push(t.responseMs);
    });
    const reported = r.end?.trends?.response_time;
    const trueP50 = quantile(stats.holdsMs, 0.5);
    const trueP99 = quantile(stats.holdsMs, 0.99);
    const exactP50 = quantile(exact, 0.5);
    const exactP99 = quantile(exact, 0.99);
    return {
      delayMs,
      turns: exact.length,
      ...processFigures(r),
      targetHoldMs: { p50: round(trueP50, 4), p99: round(trueP99, 4) },
      reportedMs: reported ? { p50: reported.p50, p99: reported.p99 } : null,
      reportedMinusTrueMs: reported ? { p50: round(reported.p50 - trueP50, 4), p99: round(reported.p99 - trueP99, 4) } : null,
      exactFromCallsJsonlMs: { p50: round(exactP50, 4), p99: round(exactP99, 4) },
      exactMinusTrueMs: { p50: round(exactP50 - trueP50, 4), p99: round(exactP99 - trueP99, 4) },
      rawClientFloor: await rawClientFloor(ctx.target, { delayMs, requests: delayMs >= 1000 ? 8 : 20 }),
      requests: stats.arrivals.length + stats.turns + stats.ends,
      connectionsOpened: stats.connections,
    };
  } finally {
    removeDir(dir);
  }
}
