import { describe, expect, it } from 'vitest';
import { summarizeOutcomes } from '../../src/metrics/replay.js';
import { RunMetrics } from '../../src/metrics/run-metrics.js';
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js';
import type { CallOutcome } from '../../src/results/types.js';
import type { IntervalDelta } from '../../src/pool/protocol.js';
import { metricsSpec, outcome, runInfo, seeded } from './fixtures.js';

const RUN_START = 1_700_000_000_000;
const INTERVAL = 1000;
const spec = metricsSpec({ variants: ['v1', 'v2'], prices: { 'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 } } });

function makeOutcomes(): CallOutcome[] {
  const rand = seeded(99);
  const list: CallOutcome[] = [];
  for (let index = 0; index < 300; index++) {
    const due = RUN_START + index * 40 + rand() * 20;
    const r = rand();
    const status = r < 0.05 ? 'dropped' : r < 0.12 ? 'error' : r < 0.2 ? 'failed' : 'passed';
    const started = due + rand() * 30;
    const usage = rand() < 0.3 ? [{ purpose: 'judge' as const, model: 'gpt-4o-mini', requests: 1, inputTokens: 400, outputTokens: 60 }] : [];
    list.push(
      outcome({
        index,
        status,
        scenario: rand() < 0.6 ? 'scheduling' : 'refill',
        variant: rand() < 0.5 ? 'v1' : 'v2',
        segment: ['young', 'middle', 'senior'][Math.floor(rand() * 3)]!,
        dueAtMs: due,
        ...(status === 'dropped' ? {} : { startedAtMs: started }),
        endedAtMs: status === 'dropped' ? due + 5000 : started + 500 + rand() * 4000,
        responseMs: status === 'dropped' ? [] : [50 + rand() * 400, 80 + rand() * 900, 60 + rand() * 300],
        ...(status === 'error' ? { errorCode: rand() < 0.5 ? 'timeout' : 'http_5xx' } : status === 'failed' ? { errorCode: 'check_failed' } : {}),
        costUsd: usage.length ? (400 * 0.15 + 60 * 0.6) / 1e6 + 0.0013 : 0.0013,
        usage,
      }),
    );
  }
  return list;
}

/** The live path: three workers see the calls as they happen and ship closed intervals each second. */
function liveRun(outcomes: readonly CallOutcome[]): RunMetrics {
  const run = new RunMetrics({ spec, runStartMs: RUN_START, intervalMs: INTERVAL, planned: outcomes.length, sampleResources: false });
  const workers = [0, 1, 2].map(() => new WorkerMetrics({ runStartMs: RUN_START, intervalMs: INTERVAL }));
  type Ev = { at: number; apply: () => void };
  const events: Ev[] = [];
  outcomes.forEach((o, n) => {
    const w = workers[n % 3]!;
    const cut = { scenario: o.scenario, variant: o.variant, persona: { segment: o.segment } };
    if (o.status === 'dropped') {
      events.push({ at: o.endedAtMs, apply: () => run.recordLocal(o) });
      return;
    }
    events.push({ at: o.startedAtMs!, apply: () => w.callStarted(cut, o.startedAtMs!, o.queueWaitMs) });
    for (const t of o.turns) events.push({ at: t.endAtMs!, apply: () => w.turnEnded(cut, t) });
    events.push({ at: o.endedAtMs, apply: () => w.callEnded(o) });
  });
  events.sort((a, b) => a.at - b.at);
  let tick = RUN_START + INTERVAL;
  const held: IntervalDelta[] = [];
  for (const e of events) {
    while (e.at >= tick) {
      workers.forEach((w, i) => {
        const deltas = w.drain(false, tick);
        // Worker 2 lags: its deltas are held back and merged at the very end.
        if (i === 2) held.push(...deltas);
        else run.merge({ threadId: i, intervals: deltas });
      });
      tick += INTERVAL;
    }
    e.apply();
  }
  workers.forEach((w, i) => run.merge({ threadId: i, intervals: w.drain(true) }));
  run.merge({ threadId: 2, intervals: held });
  return run;
}

describe('summarizeOutcomes', () => {
  it('recomputes from calls.jsonl the same numbers the live run merged', () => {
    const outcomes = makeOutcomes();
    const extra = { verdict: 'passed' as const, thresholds: [], run: runInfo() };
    const live = liveRun(outcomes).summary(extra);
    const replayed = summarizeOutcomes(outcomes, { spec, runStartMs: RUN_START, intervalMs: INTERVAL, planned: outcomes.length }).summary(extra);

    // Gauges are sampled by the engine in a live run and rebuilt from call times on replay;
    // everything aggregated from events must be identical.
    const strip = (s: typeof live) => ({
      ...s,
      calls: { ...s.calls, peakActive: 0 },
      series: s.series.map((p) => ({ ...p, active: 0, queued: 0, targetStarts: 0 })),
    });
    expect(strip(replayed)).toEqual(strip(live));

    expect(live.calls.started + live.calls.dropped).toBe(300);
    expect(live.calls.passed + live.calls.failed + live.calls.errored).toBe(live.calls.started);
    expect(Object.values(live.errors).reduce((a, b) => a + b, 0)).toBe(live.calls.failed + live.calls.errored);
    expect(Object.keys(live.segments).sort()).toEqual(['middle', 'senior', 'young']);
    expect(live.scenarios.refill!.calls.started + live.scenarios.scheduling!.calls.started).toBe(live.calls.started);
    expect(live.cost.byProvider.openai!.requests).toBe(outcomes.filter((o) => o.usage.length).length);
    expect(live.cost.byProvider.other!.usd).toBeCloseTo(0.0013 * 300, 9);
    expect(live.cost.totalUsd).toBeCloseTo(outcomes.reduce((a, o) => a + o.costUsd, 0), 9);
  });

  it('rebuilds active, queued, target starts and the peak from call times', () => {
    const calls = [
      outcome({ index: 0, dueAtMs: RUN_START + 100, startedAtMs: RUN_START + 100, endedAtMs: RUN_START + 2500 }),
      outcome({ index: 1, dueAtMs: RUN_START + 200, startedAtMs: RUN_START + 300, endedAtMs: RUN_START + 1200 }),
      outcome({ index: 2, dueAtMs: RUN_START + 900, startedAtMs: RUN_START + 1300, endedAtMs: RUN_START + 1800 }),
      outcome({ index: 3, status: 'dropped', dueAtMs: RUN_START + 950, endedAtMs: RUN_START + 2950 }),
    ];
    const s = summarizeOutcomes(calls, { spec, runStartMs: RUN_START, intervalMs: INTERVAL, planned: 4 }).summary({ verdict: 'passed', thresholds: [], run: runInfo() });
    expect(s.calls.peakActive).toBe(2);
    expect(s.series.map((p) => [p.targetStarts, p.active, p.queued])).toEqual([
      [4, 2, 2],
      [0, 1, 1],
      [0, 0, 0],
    ]);
    expect(s.resources).toBeUndefined();
  });
});
