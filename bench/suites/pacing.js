/**
 * Pacing accuracy: `loadspec run` at a constant rate against the bench target, which logs
 * when each call's start request reached it. Judged on those arrival times, i.e. at the
 * receptionist's door, after the ticker, the gate, the worker hand-off and the HTTP request:
 * - per-second counts (from the first arrival);
 * - the standard deviation of the gaps between arrivals (ideal: 0);
 * - the maximum cumulative drift: max over k of |(arrival_k − arrival_0) − k / rate|,
 *   i.e. how far the k-th call is from the ideal schedule anchored at the first one;
 * - lateness: arrival_k − due_k, the k-th due time loadspec scheduled (calls.jsonl
 *   `dueAtMs`), the constant hand-off latency included.
 * Calls are one turn with no delay, so they end at once and the gate never holds one back.
 */
import { forEachOutcome, processFigures, runLoadspec } from '../lib/loadspec.js';
import { httpSpecYaml, removeDir, scratchDir, writeSpec } from '../lib/specs.js';
import { quantile, round, stddev, mean } from '../lib/stats.js';

const CASES = [
  { ratePerSec: 0.5, durationS: 20 },
  { ratePerSec: 10, durationS: 30 },
  { ratePerSec: 200, durationS: 15 },
];
const QUICK_CASES = [
  { ratePerSec: 0.5, durationS: 4 },
  { ratePerSec: 10, durationS: 5 },
  { ratePerSec: 200, durationS: 3 },
];

export async function pacingSuite(ctx) {
  const cases = ctx.quick ? QUICK_CASES : CASES;
  const out = { cases: [] };
  for (const c of cases) {
    ctx.log(`pacing ${c.ratePerSec}/s for ${c.durationS}s`);
    out.cases.push(await pacingCase(ctx, c));
  }
  return out;
}

/** Pacing figures from sorted arrival times (epoch ms). */
export function pacingFigures(arrivals, ratePerSec) {
  const periodMs = 1000 / ratePerSec;
  const t0 = arrivals[0];
  const gaps = [];
  let maxDriftMs = 0;
  let endDriftMs = 0;
  for (let k = 0; k < arrivals.length; k++) {
    const drift = arrivals[k] - t0 - k * periodMs;
    if (Math.abs(drift) > Math.abs(maxDriftMs)) maxDriftMs = drift;
    endDriftMs = drift;
    if (k > 0) gaps.push(arrivals[k] - arrivals[k - 1]);
  }
  const perSecond = [];
  for (const a of arrivals) {
    const s = Math.floor((a - t0) / 1000);
    perSecond[s] = (perSecond[s] ?? 0) + 1;
  }
  for (let i = 0; i < perSecond.length; i++) perSecond[i] ??= 0;
  return {
    interArrivalMeanMs: round(mean(gaps), 4),
    interArrivalSdMs: round(stddev(gaps), 4),
    interArrivalMinMs: round(Math.min(...gaps), 4),
    interArrivalMaxMs: round(Math.max(...gaps), 4),
    maxCumulativeDriftMs: round(maxDriftMs, 4),
    endDriftMs: round(endDriftMs, 4),
    perSecond,
  };
}

async function pacingCase(ctx, c) {
  const dir = scratchDir('pacing');
  try {
    await ctx.target.configure({ turnDelayMs: 0 });
    const calls = Math.round(c.ratePerSec * c.durationS);
    const spec = writeSpec(dir, 'pacing.yaml', httpSpecYaml({ url: ctx.target.url, calls, concurrency: 1000, pacing: `${c.ratePerSec}/s`, turns: 1 }));
    const r = await runLoadspec({ spec, out: `${dir}/out` }).done;
    const stats = await ctx.target.stats();
    const arrivals = [...stats.arrivals].sort((a, b) => a - b);
    const due = [];
    const started = [];
    await forEachOutcome(`${dir}/out`, (o) => {
      due.push(o.dueAtMs);
      if (o.startedAtMs !== undefined) started.push(o.startedAtMs);
    });
    due.sort((a, b) => a - b);
    started.sort((a, b) => a - b);
    const lateness = arrivals.map((a, k) => a - (due[k] ?? NaN)).filter(Number.isFinite);
    const startedLateness = started.map((s, k) => s - (due[k] ?? NaN)).filter(Number.isFinite);
    return {
      ratePerSec: c.ratePerSec,
      durationS: c.durationS,
      planned: calls,
      arrivedAtTarget: arrivals.length,
      ...processFigures(r),
      firstCallAfterSpawnMs: arrivals.length ? round(arrivals[0] - r.spawnAtMs, 1) : null,
      ...(arrivals.length > 1 ? pacingFigures(arrivals, c.ratePerSec) : {}),
      latenessAtTargetMs: { p50: round(quantile(lateness, 0.5), 4), p99: round(quantile(lateness, 0.99), 4), max: round(Math.max(...lateness), 4) },
      startLatenessInLoadspecMs: { p50: round(quantile(startedLateness, 0.5), 4), p99: round(quantile(startedLateness, 0.99), 4), max: round(Math.max(...startedLateness), 4) },
      startedInterArrivalSdMs: started.length > 1 ? pacingFigures(started, c.ratePerSec).interArrivalSdMs : null,
    };
  } finally {
    removeDir(dir);
  }
}
