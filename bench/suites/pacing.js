/**
 * Pacing accuracy: `loadspec run` at a constant rate against the bench target, which logs
 * when each call's start request reached it. Judged on those arrival times, i.e. at the
 * receptionist's door, after the ticker, the gate, the worker hand-off and the HTTP request.
 *
 * The ideal schedule is loadspec's own: call k due at schedule start + k / rate (calls.jsonl
 * `dueAtMs`). Lateness_k = arrival_k − due_k holds a constant part (the hand-off latency,
 * about a millisecond) that shifts every call alike and is not drift. So:
 * - drift_k = lateness_k − median lateness: how far call k is off the ideal schedule
 *   beyond that constant; the figure is its maximum magnitude over the run;
 * - drift trend: median lateness of the last tenth of the calls minus the first tenth's
 *   (warm calls): whether error builds up over time;
 * - the standard deviation of the gaps between arrivals (ideal: 0);
 * - per-second counts, seconds counted from the schedule's start.
 * The first call on each worker thread is cold (it creates the thread's HTTP driver and
 * connection), so each figure is also given for the warm calls, after those.
 * Calls are one turn with no delay, so they end at once and the gate never holds one back.
 * After each rate, `yardstick` is the same measurement of a plain one-thread pacer
 * (bench/lib/raw-pace.js): how precisely this machine let any Node process keep time then.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { forEachOutcome, processFigures, ROOT, runLoadspec } from '../lib/loadspec.js';
import { spawnMeasured } from '../lib/proc.js';
import { httpSpecYaml, removeDir, scratchDir, writeSpec } from '../lib/specs.js';
import { median, quantile, round, stddev, mean } from '../lib/stats.js';

const CASES = [
  { ratePerSec: 0.5, durationS: 20 },
  { ratePerSec: 10, durationS: 30 },
  { ratePerSec: 200, durationS: 15 },
];
/** The plain-pacer yardstick runs at most this long per rate. */
const YARDSTICK_MAX_S = 10;
const QUICK_CASES = [
  { ratePerSec: 0.5, durationS: 4 },
  { ratePerSec: 10, durationS: 5 },
  { ratePerSec: 200, durationS: 3 },
];

export async function pacingSuite(ctx) {
  const cases = ctx.quick ? QUICK_CASES : CASES;
  const out = { coldCalls: availableParallelism(), cases: [] };
  for (const c of cases) {
    ctx.log(`pacing ${c.ratePerSec}/s for ${c.durationS}s`);
    out.cases.push(await pacingCase(ctx, c, out.coldCalls));
  }
  return out;
}

function gapSd(times) {
  const gaps = [];
  for (let k = 1; k < times.length; k++) gaps.push(times[k] - times[k - 1]);
  return { meanMs: mean(gaps), sdMs: stddev(gaps), minMs: Math.min(...gaps), maxMs: Math.max(...gaps) };
}

/** Drift figures from arrival and due times (epoch ms, both sorted, same length). */
export function driftFigures(arrivals, due) {
  const lateness = arrivals.map((a, k) => a - due[k]);
  const typical = median(lateness);
  let maxDrift = 0;
  for (const l of lateness) if (Math.abs(l - typical) > Math.abs(maxDrift)) maxDrift = l - typical;
  const tenth = Math.max(1, Math.floor(lateness.length / 10));
  return {
    maxDriftMs: round(maxDrift, 4),
    driftTrendMs: round(median(lateness.slice(-tenth)) - median(lateness.slice(0, tenth)), 4),
    latenessMs: { p50: round(typical, 4), p99: round(quantile(lateness, 0.99), 4), max: round(Math.max(...lateness), 4) },
  };
}

async function pacingCase(ctx, c, coldCalls) {
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
    const n = Math.min(arrivals.length, due.length);
    const figures = { planned: calls, arrivedAtTarget: arrivals.length, ...processFigures(r), firstCallAfterSpawnMs: arrivals.length ? round(arrivals[0] - r.spawnAtMs, 1) : null };
    if (n < 2) return { ratePerSec: c.ratePerSec, durationS: c.durationS, ...figures };
    const all = driftFigures(arrivals.slice(0, n), due.slice(0, n));
    const warm = n > coldCalls + 1 ? driftFigures(arrivals.slice(coldCalls, n), due.slice(coldCalls, n)) : undefined;
    const gaps = gapSd(arrivals);
    const perSecond = [];
    for (const a of arrivals) {
      const s = Math.max(0, Math.floor((a - due[0]) / 1000));
      perSecond[s] = (perSecond[s] ?? 0) + 1;
    }
    for (let i = 0; i < perSecond.length; i++) perSecond[i] ??= 0;
    const startedLateness = started.slice(0, n).map((s, k) => s - due[k]);
    return {
      ratePerSec: c.ratePerSec,
      durationS: c.durationS,
      ...figures,
      interArrivalMeanMs: round(gaps.meanMs, 4),
      interArrivalSdMs: round(gaps.sdMs, 4),
      interArrivalMinMs: round(gaps.minMs, 4),
      interArrivalMaxMs: round(gaps.maxMs, 4),
      maxCumulativeDriftMs: all.maxDriftMs,
      driftTrendMs: all.driftTrendMs,
      latenessAtTargetMs: all.latenessMs,
      ...(warm ? { warm: { interArrivalSdMs: round(gapSd(arrivals.slice(coldCalls)).sdMs, 4), maxCumulativeDriftMs: warm.maxDriftMs, latenessAtTargetMs: warm.latenessMs } } : {}),
      perSecond,
      // The same, inside loadspec: when the worker began each call (before the HTTP request).
      startLatenessInLoadspecMs: { p50: round(quantile(startedLateness, 0.5), 4), p99: round(quantile(startedLateness, 0.99), 4), max: round(Math.max(...startedLateness), 4) },
      startedInterArrivalSdMs: round(gapSd(started).sdMs, 4),
      yardstick: await plainPacer(ctx.target, c),
    };
  } finally {
    removeDir(dir);
  }
}

/** The same rate by bench/lib/raw-pace.js (a plain one-thread pacer), at most 10 s of it. */
async function plainPacer(target, c) {
  await target.configure({ turnDelayMs: 0 });
  const calls = Math.max(3, Math.round(c.ratePerSec * Math.min(c.durationS, YARDSTICK_MAX_S)));
  const r = await spawnMeasured([process.execPath, path.join(ROOT, 'bench', 'lib', 'raw-pace.js'), target.url, String(c.ratePerSec), String(calls)]).done;
  const line = r.stdoutTail.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) return { error: r.stderr.slice(-500) };
  const { startMs } = JSON.parse(line);
  const arrivals = [...(await target.stats()).arrivals].sort((a, b) => a - b);
  const due = arrivals.map((_, k) => startMs + (k * 1000) / c.ratePerSec);
  const drift = driftFigures(arrivals, due);
  return { calls, arrived: arrivals.length, interArrivalSdMs: round(gapSd(arrivals).sdMs, 4), maxCumulativeDriftMs: drift.maxDriftMs, latenessAtTargetMs: drift.latenessMs };
}
