/**
 * Engine throughput: the sim driver with zero latency (a turn answers at once, no timer),
 * so every microsecond of a call is loadspec's own: plan, ticker, gate, hand-off to a
 * worker thread, the call's turns and checks, the outcome back, metrics, calls.jsonl and
 * the reports. Calls completed per second = completed / (last end − first start).
 *
 * Specs cap pacing at 1000/s, so two runs:
 * - `atCap`: the real CLI at 1000/s. If the engine keeps up, calls complete at the
 *   pacing rate and the CPU per call says how much headroom is left; if not, calls queue
 *   at the gate and the completion rate is the engine's.
 * - `burst`: the same spec and code path (bench/lib/burst-run.js: loader, reporters,
 *   engine, pool, writer from dist/) with the rate lifted to 1,000,000/s, so all calls are
 *   due at once and only the engine sets the pace. This is the engine's figure.
 * On a shared machine the process gets less than every core; `cpuBoundCeilingPerSec`
 * (cores ÷ CPU per call) says what the same CPU cost would give with the cores to itself.
 */
import { availableParallelism } from 'node:os';
import { forEachOutcome, processFigures, runLoadspec } from '../lib/loadspec.js';
import { cpuBetween } from '../lib/proc.js';
import { removeDir, scratchDir, simSpecYaml, writeSpec } from '../lib/specs.js';
import { quantile, round } from '../lib/stats.js';

const BURST_RATE_PER_SEC = 1_000_000;

export async function throughputSuite(ctx) {
  const atCapCalls = ctx.quick ? 3_000 : 15_000;
  const burstCalls = ctx.quick ? 5_000 : 50_000;
  ctx.log(`throughput: ${atCapCalls} calls at 1000/s through the CLI`);
  const atCap = await throughputRun(ctx, { calls: atCapCalls, pacing: '1000/s' });
  ctx.log(`throughput: ${burstCalls} calls due at once (burst)`);
  const burst = await throughputRun(ctx, { calls: burstCalls, pacing: '1000/s', burstRatePerSec: BURST_RATE_PER_SEC });
  return { turnsPerCall: TURNS, concurrency: CONCURRENCY, atCap, burst };
}

const TURNS = 3;
const CONCURRENCY = 10_000;

async function throughputRun(ctx, o) {
  const dir = scratchDir('throughput');
  try {
    const spec = writeSpec(dir, 'throughput.yaml', simSpecYaml({ latencyMs: 0, calls: o.calls, concurrency: CONCURRENCY, pacing: o.pacing, turns: TURNS }));
    const r = await runLoadspec({ spec, out: `${dir}/out`, ...(o.burstRatePerSec ? { burstRatePerSec: o.burstRatePerSec } : {}) }).done;
    let firstStart = Infinity;
    let lastEnd = -Infinity;
    let completed = 0;
    let dropped = 0;
    const queueWaits = [];
    await forEachOutcome(`${dir}/out`, (c) => {
      if (c.status === 'dropped') {
        dropped++;
        return;
      }
      completed++;
      if (c.startedAtMs !== undefined) firstStart = Math.min(firstStart, c.startedAtMs);
      lastEnd = Math.max(lastEnd, c.endedAtMs);
      queueWaits.push(c.queueWaitMs);
    });
    const spanS = (lastEnd - firstStart) / 1000;
    const steady = cpuBetween(r.samples, firstStart, lastEnd);
    return {
      ...(o.burstRatePerSec ? { ratePerSec: o.burstRatePerSec } : { pacing: o.pacing }),
      planned: o.calls,
      completed,
      dropped,
      ...processFigures(r, { threads: true }),
      callsSpanS: round(spanS),
      completedPerSec: round(completed / spanS, 1),
      queueWaitMs: { p50: round(quantile(queueWaits, 0.5), 2), p99: round(quantile(queueWaits, 0.99), 2), max: round(Math.max(...queueWaits), 2) },
      cpuMsPerCallWhole: round((r.cpuS * 1000) / completed, 4),
      ...(steady
        ? {
            cpuMsPerCallWhileCalling: round((steady.cpuS * 1000) / completed, 4),
            cpuCoresWhileCalling: round(steady.cpuS / steady.wallS, 2),
            // What every core of this machine, fully loadspec's, would complete at this CPU cost.
            cpuBoundCeilingPerSec: round((availableParallelism() * completed) / steady.cpuS, 0),
          }
        : {}),
    };
  } finally {
    removeDir(dir);
  }
}
