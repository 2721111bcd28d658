import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';
import { evaluateThresholds, exitCodeFor, runVerdict } from '../../src/thresholds/evaluate.js';
import { ThresholdGate } from '../../src/thresholds/gate.js';
import { ThresholdSampler } from '../../src/thresholds/samples.js';
import { abOutcomes, outcome, summarize, threshold } from '../support/report-fixtures.js';

const outcomes = abOutcomes();
const summary = summarize(outcomes);

function verdictOf(key: string, expression: string, options = {}) {
  const [verdict] = evaluateThresholds([threshold(key, expression, options)], summary);
  return verdict!;
}

describe('evaluateThresholds', () => {
  it('reads trend aggregations from the whole run', () => {
    const rt = summary.trends.response_time;
    expect(verdictOf('response_time', 'p95 < 1500ms')).toMatchObject({ value: rt.p95, passed: true, metric: 'response_time', key: 'response_time', expression: 'p95 < 1500ms' });
    expect(verdictOf('response_time', 'p95 < 400ms')).toMatchObject({ value: rt.p95, passed: false });
    expect(verdictOf('response_time', 'avg < 800ms').value).toBeCloseTo(rt.mean);
    expect(verdictOf('response_time', 'med <= 1s').value).toBe(rt.p50);
    expect(verdictOf('response_time', 'min >= 300ms')).toMatchObject({ value: rt.min, passed: true });
    expect(verdictOf('response_time', 'max < 0.5s')).toMatchObject({ value: rt.max, passed: false });
    expect(verdictOf('turn_time', 'p99 < 2s').value).toBe(summary.trends.turn_time.p99);
  });

  it('reads rates as fractions and counters as counts or per-second rates', () => {
    const failure = verdictOf('failure_rate', '< 5%');
    expect(failure.value).toBeCloseTo(summary.failureRate);
    expect(failure.value).toBeGreaterThan(0.05);
    expect(failure.passed).toBe(false);
    expect(verdictOf('failure_rate', '< 20%').passed).toBe(true);
    expect(verdictOf('drop_rate', '< 1%')).toMatchObject({ value: 1 / 80, passed: false });
    expect(verdictOf('errored', 'count < 10')).toMatchObject({ value: summary.calls.errored, passed: true });
    expect(verdictOf('dropped', '== 1').passed).toBe(true);
    expect(verdictOf('started', 'rate > 1').value).toBeCloseTo(summary.calls.started / (summary.run.durationMs / 1000));
    expect(verdictOf('peak_active', 'max <= 6')).toMatchObject({ value: 6, passed: true });
  });

  it('scopes a threshold to a scenario, variant or segment', () => {
    const v2 = verdictOf('failure_rate{variant:prompt-v2}', '< 10%');
    expect(v2.value).toBeCloseTo(summary.variants['prompt-v2']!.failureRate);
    expect(v2.scope).toEqual({ variant: 'prompt-v2' });
    expect(v2.passed).toBe(false);
    expect(verdictOf('failure_rate{variant:prompt-v1}', '< 10%').passed).toBe(true);
    expect(verdictOf('response_time{scenario:refill}', 'p99 < 2s').value).toBe(summary.scenarios.refill!.trends.response_time.p99);
    expect(verdictOf('response_time{segment:senior}', 'avg < 1s').value).toBeCloseTo(summary.segments.senior!.trends.response_time.mean);
  });

  it('fails a threshold that saw no samples with the reason "no data", unless allowNoData', () => {
    const missing = verdictOf('response_time{scenario:cancel}', 'p95 < 1s');
    expect(missing).toMatchObject({ value: null, passed: false, reason: 'no data' });
    expect(verdictOf('response_time{scenario:cancel}', 'p95 < 1s', { allowNoData: true })).toMatchObject({ value: null, passed: true, reason: 'no data (allowed)' });

    const allDropped = summarize([outcome({ index: 0, status: 'dropped' }), outcome({ index: 1, status: 'dropped' })]);
    const [rt, failure, drop] = evaluateThresholds([threshold('response_time', 'p95 < 1s'), threshold('failure_rate', '< 5%'), threshold('drop_rate', '< 100%')], allDropped);
    expect(rt).toMatchObject({ passed: false, reason: 'no data' });
    expect(failure).toMatchObject({ passed: false, reason: 'no data' });
    expect(drop).toMatchObject({ value: 1, passed: false });
    const noTurns = summarize([outcome({ index: 0, responseMs: [] })]);
    expect(evaluateThresholds([threshold('response_time', 'p95 < 1s')], noTurns)[0]).toMatchObject({ passed: false, reason: 'no data' });
  });

  it('needs the outcomes for several tags or an odd percentile, and fails with a reason without them', () => {
    const multi = threshold('response_time{scenario:refill,variant:prompt-v2}', 'p95 < 700ms');
    const p999 = threshold('response_time', 'p99.9 < 1s');
    const p75 = threshold('response_time{variant:prompt-v1}', 'p(75) < 1s');
    const bare = evaluateThresholds([multi, p999, p75], summary);
    for (const v of bare) {
      expect(v.passed).toBe(false);
      expect(v.value).toBeNull();
      expect(v.reason).toMatch(/per-call outcomes/);
    }

    const sampler = new ThresholdSampler([multi, p999, p75]);
    for (const o of outcomes) sampler.add(o);
    const [m, q, r] = evaluateThresholds([multi, p999, p75], summary, sampler);
    const refillV2 = outcomes.filter((o) => o.scenario === 'refill' && o.variant === 'prompt-v2').flatMap((o) => o.turns.map((t) => t.responseMs!)).sort((a, b) => a - b);
    expect(m!.value).toBe(refillV2[Math.ceil(0.95 * refillV2.length) - 1]);
    expect(m!.passed).toBe(m!.value! < 700);
    expect(q!.value).toBe(summary.trends.response_time.max);
    const v1 = outcomes.filter((o) => o.variant === 'prompt-v1').flatMap((o) => o.turns.map((t) => t.responseMs!)).sort((a, b) => a - b);
    expect(r!.value).toBe(v1[Math.ceil(0.75 * v1.length) - 1]);
    expect(r!.passed).toBe(true);

    const failRate = threshold('failure_rate{scenario:scheduling,variant:prompt-v2}', '< 50%');
    const s2 = new ThresholdSampler([failRate]);
    for (const o of outcomes) s2.add(o);
    const cut = outcomes.filter((o) => o.scenario === 'scheduling' && o.variant === 'prompt-v2' && o.status !== 'dropped');
    expect(evaluateThresholds([failRate], summary, s2)[0]!.value).toBeCloseTo(cut.filter((o) => o.status !== 'passed').length / cut.length);
  });

  it('compares with every operator', () => {
    expect(verdictOf('dropped', 'count == 1').passed).toBe(true);
    expect(verdictOf('dropped', 'count != 1').passed).toBe(false);
    expect(verdictOf('dropped', 'count >= 1').passed).toBe(true);
    expect(verdictOf('dropped', 'count > 1').passed).toBe(false);
    expect(verdictOf('dropped', 'count <= 0').passed).toBe(false);
  });
});

describe('run verdict and exit code', () => {
  it('passes only when every threshold passed', () => {
    const pass = evaluateThresholds([threshold('failure_rate', '< 50%')], summary);
    const fail = evaluateThresholds([threshold('failure_rate', '< 50%'), threshold('response_time', 'p95 < 100ms')], summary);
    expect(runVerdict(pass)).toBe('passed');
    expect(runVerdict(fail)).toBe('failed');
    expect(runVerdict([])).toBe('passed');
    expect(runVerdict(pass, 'duration cap')).toBe('passed');
    expect(runVerdict(pass, 'interrupted')).toBe('aborted');
  });

  it('maps verdicts to the documented exit codes', () => {
    const run = summary.run;
    expect(exitCodeFor({ verdict: 'passed', run })).toBe(EXIT.passed);
    expect(exitCodeFor({ verdict: 'failed', run })).toBe(EXIT.thresholdsFailed);
    expect(exitCodeFor({ verdict: 'aborted', run: { ...run, abortReason: 'threshold failure_rate: < 5%' } })).toBe(EXIT.thresholdsFailed);
    expect(exitCodeFor({ verdict: 'aborted', run: { ...run, abortReason: 'interrupted' } })).toBe(EXIT.interrupted);
  });

  it('finalizes a summary through the gate, marking the threshold named by the abort reason', () => {
    const thresholds = [threshold('failure_rate', '< 50%', { abortOnFail: true }), threshold('response_time', 'p95 < 5s')];
    const gate = new ThresholdGate(thresholds);
    for (const o of outcomes) gate.onCallEnd(o);
    const normal = gate.finalize(summary);
    expect(normal.verdict).toBe('passed');
    expect(normal.thresholds.map((t) => t.passed)).toEqual([true, true]);

    const stopped = gate.finalize(summary, 'threshold failure_rate: < 50%');
    expect(stopped.verdict).toBe('aborted');
    expect(stopped.run.abortReason).toBe('threshold failure_rate: < 50%');
    expect(stopped.thresholds[0]).toMatchObject({ aborted: true, passed: false });
    expect(stopped.thresholds[0]!.reason).toMatch(/stopped the run/);
    expect(stopped.thresholds[1]).toMatchObject({ passed: true });
    expect(exitCodeFor(stopped)).toBe(EXIT.thresholdsFailed);
  });
});
