import { describe, expect, it } from 'vitest';
import { newHistogram, toMicros, trendStats } from '../../src/metrics/histogram.js';
import { RunMetrics } from '../../src/metrics/run-metrics.js';
import { WorkerMetrics, type CallCut } from '../../src/metrics/worker-metrics.js';
import type { IntervalDelta } from '../../src/pool/protocol.js';
import type { TurnRecord } from '../../src/results/types.js';
import { metricsSpec, runInfo, seeded } from './fixtures.js';

const RUN_START = 1_700_000_000_000.25;
const INTERVAL = 1000;

function turn(sentAtMs: number, responseMs: number): TurnRecord {
  return { index: 0, said: 'x', reply: 'y', sentAtMs, firstByteAtMs: sentAtMs + responseMs, endAtMs: sentAtMs + responseMs + 1, responseMs, turnMs: responseMs + 1 };
}

describe('merging worker metrics', () => {
  it('gives the same count, min, max, mean and percentiles as one histogram of every value', () => {
    const rand = seeded(42);
    const workers = [0, 1, 2, 3].map(() => new WorkerMetrics({ runStartMs: RUN_START, intervalMs: INTERVAL }));
    const all = newHistogram();
    const byScenario = new Map<string, number[]>();
    let sumUs = 0;
    const values: number[] = [];
    for (let n = 0; n < 6_000; n++) {
      // Log-normal-ish response times from 0.05 ms to minutes, with sub-ms parts.
      const responseMs = Math.exp(rand() * 14 - 3);
      const scenario = rand() < 0.3 ? 'refill' : 'scheduling';
      const cut: CallCut = { scenario, variant: rand() < 0.5 ? 'a' : 'b', persona: { segment: `seg${Math.floor(rand() * 3)}` } };
      const sentAt = RUN_START + rand() * 15_000;
      workers[n % workers.length]!.turnEnded(cut, turn(sentAt, responseMs));
      const us = toMicros(responseMs);
      all.recordValue(us);
      sumUs += us;
      values.push(us);
      byScenario.set(scenario, byScenario.get(scenario) ?? []);
      byScenario.get(scenario)!.push(us);
    }
    const run = new RunMetrics({ spec: metricsSpec({ variants: ['a', 'b'] }), runStartMs: RUN_START, intervalMs: INTERVAL, planned: 0, sampleResources: false });
    workers.forEach((w, threadId) => run.merge({ threadId, intervals: w.drain(true) }));

    const expected = trendStats(all, { sumUs, minUs: Math.min(...values), maxUs: Math.max(...values) });
    const merged = run.breakdown({}).trends.response_time;
    expect(merged).toEqual(expected);
    expect(merged.count).toBe(6_000);
    // Values keep their sub-millisecond part: the minimum is below one millisecond.
    expect(merged.min).toBeLessThan(1);
    expect(merged.min).not.toBe(Math.round(merged.min));

    for (const [scenario, list] of byScenario) {
      const h = newHistogram();
      list.forEach((v) => h.recordValue(v));
      const want = trendStats(h, { sumUs: list.reduce((a, b) => a + b, 0), minUs: Math.min(...list), maxUs: Math.max(...list) });
      expect(run.breakdown({ scenario }).trends.response_time).toEqual(want);
    }
  });

  it('lands a slow worker\'s late, out-of-order deltas in the intervals where their events happened', () => {
    const rand = seeded(7);
    const fast = new WorkerMetrics({ runStartMs: RUN_START, intervalMs: INTERVAL });
    const slow = new WorkerMetrics({ runStartMs: RUN_START, intervalMs: INTERVAL });
    const expectedStarts = new Map<number, number>();
    const expectedResponses = new Map<number, number>();
    const cut: CallCut = { scenario: 'scheduling', variant: 'default', persona: {} };
    const run = new RunMetrics({ spec: metricsSpec(), runStartMs: RUN_START, intervalMs: INTERVAL, planned: 400, sampleResources: false });
    const slowDeltas: IntervalDelta[] = [];
    for (let second = 0; second < 20; second++) {
      for (let n = 0; n < 20; n++) {
        const at = RUN_START + second * INTERVAL + rand() * INTERVAL;
        const worker = n % 2 === 0 ? fast : slow;
        worker.callStarted(cut, at, rand() * 50);
        const rt = 10 + rand() * 500;
        worker.turnEnded(cut, turn(at + 20, rt));
        const idx = (t: number): number => Math.floor((t - RUN_START) / INTERVAL);
        expectedStarts.set(idx(at), (expectedStarts.get(idx(at)) ?? 0) + 1);
        expectedResponses.set(idx(at + 20 + rt), (expectedResponses.get(idx(at + 20 + rt)) ?? 0) + 1);
      }
      // The fast worker ships every second; the slow one's deltas pile up.
      const now = RUN_START + (second + 1) * INTERVAL + 1;
      run.merge({ threadId: 1, intervals: fast.drain(false, now) });
      slowDeltas.push(...slow.drain(false, now));
    }
    run.merge({ threadId: 1, intervals: fast.drain(true) });
    slowDeltas.push(...slow.drain(true));
    // The slow worker's backlog arrives last and in reverse order, one message per interval.
    for (const d of slowDeltas.reverse()) run.merge({ threadId: 2, intervals: [d] });

    const series = run.summary({ verdict: 'passed', thresholds: [], run: runInfo() }).series;
    for (const point of series) {
      expect(point.started, `interval ${point.index}`).toBe(expectedStarts.get(point.index) ?? 0);
      expect(point.responseTime.count, `interval ${point.index}`).toBe(expectedResponses.get(point.index) ?? 0);
    }
    expect(series.reduce((a, p) => a + p.started, 0)).toBe(400);
  });

  it('drain(false) ships only closed intervals and forgets what it shipped', () => {
    const w = new WorkerMetrics({ runStartMs: RUN_START, intervalMs: INTERVAL });
    const cut: CallCut = { scenario: 's', variant: 'v', persona: {} };
    w.callStarted(cut, RUN_START + 100, 0);
    w.callStarted(cut, RUN_START + 1500, 0);
    const first = w.drain(false, RUN_START + 1600);
    expect(first.map((d) => d.index)).toEqual([0]);
    expect(w.drain(false, RUN_START + 1600)).toEqual([]);
    // A late event for interval 0 is shipped again, on its own, at the next drain.
    w.callStarted(cut, RUN_START + 200, 0);
    expect(w.drain(false, RUN_START + 2100).map((d) => d.index)).toEqual([0, 1]);
  });
});
