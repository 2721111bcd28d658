/**
 * Cost per call: 3-turn HTTP calls at 200 calls/s against the bench target, which holds
 * each turn 1 s, so about 600 calls are open at once. The target is its own process, so
 * its CPU is not loadspec's. CPU per call is taken two ways:
 * - steady: loadspec's CPU (every thread, from /proc) between the first call's start and
 *   the last call's end, over the calls that ran; start-up and reports are left out;
 * - whole: the process's total CPU (/usr/bin/time) over the calls, start-up included.
 * Then the transport floor: the same calls by a plain undici client (bench/lib/raw-load.js),
 * in-process CPU after its start-up, so what loadspec adds above the requests shows.
 */
import path from 'node:path';
import { forEachOutcome, processFigures, ROOT, runLoadspec } from '../lib/loadspec.js';
import { cpuBetween, spawnMeasured } from '../lib/proc.js';
import { httpSpecYaml, removeDir, scratchDir, writeSpec } from '../lib/specs.js';
import { round } from '../lib/stats.js';

const RATE_PER_SEC = 200;
const TURN_DELAY_MS = 1000;

export async function costSuite(ctx) {
  const durationS = ctx.quick ? 5 : 20;
  const calls = RATE_PER_SEC * durationS;
  ctx.log(`cost: ${calls} 3-turn HTTP calls at ${RATE_PER_SEC}/s, turns held ${TURN_DELAY_MS} ms`);
  const dir = scratchDir('cost');
  try {
    await ctx.target.configure({ turnDelayMs: TURN_DELAY_MS, precise: false });
    const targetBefore = await ctx.target.stats();
    const spec = writeSpec(dir, 'cost.yaml', httpSpecYaml({ url: ctx.target.url, calls, concurrency: 2000, pacing: `${RATE_PER_SEC}/s`, turns: 3 }));
    const r = await runLoadspec({ spec, out: `${dir}/out`, live: 'json' }).done;
    const targetAfter = await ctx.target.stats();
    let firstStart = Infinity;
    let lastEnd = -Infinity;
    let passed = 0;
    let completed = 0;
    await forEachOutcome(`${dir}/out`, (c) => {
      if (c.status === 'dropped') return;
      completed++;
      if (c.status === 'passed') passed++;
      if (c.startedAtMs !== undefined) firstStart = Math.min(firstStart, c.startedAtMs);
      lastEnd = Math.max(lastEnd, c.endedAtMs);
    });
    const steady = cpuBetween(r.samples, firstStart, lastEnd);
    ctx.log('cost: the same calls by a plain undici client (transport floor)');
    const floor = await transportFloor(ctx.target, calls);
    return {
      ratePerSec: RATE_PER_SEC,
      turnDelayMs: TURN_DELAY_MS,
      planned: calls,
      completed,
      passed,
      peakActive: r.end?.calls?.peakActive ?? null,
      ...processFigures(r, { threads: true }),
      cpuMsPerCallSteady: steady ? round((steady.cpuS * 1000) / completed, 4) : null,
      cpuCoresSteady: steady ? round(steady.cpuS / steady.wallS, 3) : null,
      cpuMsPerCallWhole: round((r.cpuS * 1000) / completed, 4),
      targetCpuS: round(targetAfter.cpuS - targetBefore.cpuS, 3),
      requests: targetAfter.arrivals.length + targetAfter.turns + targetAfter.ends,
      connectionsOpened: targetAfter.connections,
      transportFloor: floor,
    };
  } finally {
    removeDir(dir);
  }
}

/** bench/lib/raw-load.js: the same five requests per call, at the same rate, with nothing else. */
async function transportFloor(target, calls) {
  await target.configure({ turnDelayMs: TURN_DELAY_MS, precise: false });
  const before = await target.stats();
  const r = await spawnMeasured([process.execPath, path.join(ROOT, 'bench', 'lib', 'raw-load.js'), target.url, String(RATE_PER_SEC), String(calls)]).done;
  const line = r.stdoutTail.trim().split('\n').pop() ?? '';
  const measured = line.startsWith('{') ? JSON.parse(line) : undefined;
  if (!measured) return { error: r.stderr.slice(-500) };
  const stats = await target.stats();
  return {
    calls: measured.calls,
    ok: measured.ok,
    cpuMsPerCall: round(measured.cpuMs / measured.calls, 4),
    targetCpuMsPerRequest: round(((stats.cpuS - before.cpuS) * 1000) / (stats.arrivals.length + stats.turns + stats.ends), 4),
    connectionsOpened: stats.connections,
  };
}
