import { describe, expect, it } from 'vitest';
import type { LiveSnapshot } from '../../src/report/reporter.js';
import { AbortWatcher } from '../../src/thresholds/abort.js';
import { ThresholdGate } from '../../src/thresholds/gate.js';
import { abOutcomes, breakdown, outcome, summarize, threshold } from '../support/report-fixtures.js';

function snapshot(over: Partial<LiveSnapshot>): LiveSnapshot {
  return {
    elapsedMs: 30_000, plannedMs: 60_000, planned: 200, started: 50, active: 10, peakActive: 12, queued: 0, passed: 45, failed: 2, errored: 3, dropped: 0,
    responseTime: { count: 150, mean: 400, p50: 380, p95: 700, p99: 900 }, errors: { http_5xx: 3 }, costUsd: 0.1, targetRatePerSec: 2, startRatePerSec: 2,
    cpuPercent: 10, rssBytes: 1e8, loopLagP99Ms: 2, poolUtilization: 0.3, saturated: false, ...over,
  };
}

function watch(thresholds: Parameters<typeof threshold>[], options = {}) {
  const reasons: string[] = [];
  const watcher = new AbortWatcher(thresholds.map((t) => threshold(...t)), (r) => reasons.push(r), options);
  return { watcher, reasons };
}

describe('abortOnFail', () => {
  it('aborts once a whole-run threshold is breached after its delay, and only once', () => {
    const { watcher, reasons } = watch([['failure_rate', '< 5%', { abortOnFail: true, abortDelayMs: 10_000 }]]);
    expect(watcher.check(snapshot({ elapsedMs: 9_000 }))).toBeUndefined();
    expect(reasons).toEqual([]);
    const fired = watcher.check(snapshot({ elapsedMs: 10_000 }));
    expect(fired?.value).toBeCloseTo(5 / 50);
    expect(reasons).toEqual(['threshold failure_rate: < 5%']);
    watcher.check(snapshot({ elapsedMs: 11_000 }));
    expect(reasons).toHaveLength(1);
    expect(watcher.fired?.threshold.key).toBe('failure_rate');
  });

  it('ignores thresholds without abortOnFail, passing ones, and ones with no data', () => {
    const { watcher, reasons } = watch([
      ['failure_rate', '< 5%'],
      ['response_time', 'p95 < 1s', { abortOnFail: true }],
      ['response_time{scenario:refill}', 'p95 < 1ms', { abortOnFail: true }],
    ]);
    watcher.check(snapshot({}));
    watcher.check(snapshot({ responseTime: { count: 0, mean: 0, p50: 0, p95: 0, p99: 0 } }));
    expect(reasons).toEqual([]);
  });

  it('waits for enough samples before calling a rate or trend clearly breached', () => {
    const { watcher, reasons } = watch([['response_time', 'p95 < 500ms', { abortOnFail: true }]]);
    watcher.check(snapshot({ responseTime: { count: 5, mean: 800, p50: 800, p95: 900, p99: 950 } }));
    expect(reasons).toEqual([]);
    watcher.check(snapshot({ responseTime: { count: 20, mean: 800, p50: 800, p95: 900, p99: 950 } }));
    expect(reasons).toEqual(['threshold response_time: p95 < 500ms']);
  });

  it('aborts on a growing count only when the breach is final', () => {
    const below = watch([['errored', 'count < 3', { abortOnFail: true }]]);
    below.watcher.check(snapshot({ started: 4, errored: 3 }));
    expect(below.reasons).toEqual(['threshold errored: count < 3']);
    const above = watch([['passed', 'count > 100', { abortOnFail: true }]]);
    above.watcher.check(snapshot({}));
    expect(above.reasons).toEqual([]);
  });

  it('reads scoped thresholds from live breakdowns when given them', () => {
    const slowRefill = abOutcomes().filter((o) => o.scenario === 'refill');
    const { watcher, reasons } = watch([['response_time{scenario:refill}', 'p95 < 400ms', { abortOnFail: true }]]);
    watcher.check(snapshot({}));
    expect(reasons).toEqual([]);
    watcher.check(snapshot({}), (scope) => (scope.scenario === 'refill' ? breakdown(slowRefill) : undefined));
    expect(reasons).toEqual(['threshold response_time{scenario:refill}: p95 < 400ms']);
  });

  it('watches a scoped threshold through the gate from call outcomes when no live breakdown is given', () => {
    const aborted: string[] = [];
    const gate = new ThresholdGate([threshold('failure_rate{variant:prompt-v2}', '< 10%', { abortOnFail: true })], { abort: (r) => aborted.push(r) });
    const outcomes = abOutcomes();
    for (const o of outcomes.slice(0, 20)) gate.onCallEnd(o);
    gate.onInterval(snapshot({}));
    expect(aborted).toEqual([]); // 10 prompt-v2 calls so far: too few to call it
    for (const o of outcomes.slice(20)) gate.onCallEnd(o);
    gate.onInterval(snapshot({}));
    expect(aborted).toEqual(['threshold failure_rate{variant:prompt-v2}: < 10%']);
  });

  it('stops the run through the gate and marks the verdict aborted', () => {
    const aborted: string[] = [];
    const thresholds = [threshold('failure_rate', '< 5%', { abortOnFail: true, abortDelayMs: 1_000 }), threshold('drop_rate', '< 50%')];
    const gate = new ThresholdGate(thresholds, { abort: (r) => aborted.push(r) });
    const outcomes = Array.from({ length: 30 }, (_, i) => outcome({ index: i, status: i % 3 === 0 ? 'error' : 'passed' }));
    for (const o of outcomes) gate.onCallEnd(o);
    gate.onInterval(snapshot({ elapsedMs: 2_000, started: 30, passed: 20, failed: 0, errored: 10 }));
    expect(aborted).toEqual(['threshold failure_rate: < 5%']);
    const final = gate.finalize(summarize(outcomes));
    expect(final.verdict).toBe('aborted');
    expect(final.run.abortReason).toBe('threshold failure_rate: < 5%');
    expect(final.thresholds[0]).toMatchObject({ aborted: true, passed: false });
    expect(final.thresholds[0]!.reason).toBe('breached at 2.0s; stopped the run (abortOnFail)');
    expect(final.thresholds[1]).toMatchObject({ passed: true });
  });
});
