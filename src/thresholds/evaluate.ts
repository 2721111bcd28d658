/**
 * Threshold verdicts from a run summary, the run's verdict and its exit code.
 *
 * Never a silent pass: a threshold whose cut saw no samples fails with the reason
 * `no data` (unless the spec set `allowNoData`), and one that cannot be measured from
 * what this evaluation has fails with a reason saying why.
 */
import { EXIT, type ExitCode } from '../errors.js';
import type { Breakdown, RunSummary, ThresholdVerdict } from '../metrics/summary.js';
import type { ThresholdOperator, ThresholdSpec } from '../spec/types.js';
import { cutFromBreakdown, cutFromSummary, measure, type Measurement, type MetricCut } from './measure.js';
import { needsOutcomes, type ThresholdSampler } from './samples.js';

export function compare(value: number, operator: ThresholdOperator, limit: number): boolean {
  switch (operator) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

const SCOPE_MAPS = { scenario: 'scenarios', variant: 'variants', segment: 'segments' } as const;

/** The cut a threshold reads, or why there is none. */
export function cutFor(threshold: ThresholdSpec, summary: RunSummary, sampler?: ThresholdSampler): MetricCut | Measurement {
  if (needsOutcomes(threshold)) {
    const cut = sampler?.cutFor(threshold);
    if (cut) return cut;
    return { kind: 'unevaluable', reason: `${threshold.key} ${threshold.aggregation} needs the per-call outcomes (calls.jsonl), which this evaluation did not have` };
  }
  const entries = Object.entries(threshold.scope);
  if (entries.length === 0) return cutFromSummary(summary);
  const [tag, name] = entries[0] as [string, string];
  const mapName = SCOPE_MAPS[tag as keyof typeof SCOPE_MAPS];
  if (mapName === undefined) return { kind: 'unevaluable', reason: `unknown tag ${tag}` };
  const breakdown: Breakdown | undefined = summary[mapName][name];
  // A scenario, variant or segment that got no calls has no breakdown: that is no data.
  if (!breakdown) return { kind: 'no data', reason: 'no data' };
  return cutFromBreakdown(breakdown, summary.run.durationMs);
}

function isMeasurement(value: MetricCut | Measurement): value is Measurement {
  return 'kind' in value;
}

/** Turns a measurement into a verdict. */
export function verdictFor(threshold: ThresholdSpec, measurement: Measurement): ThresholdVerdict {
  const base = { metric: threshold.metric, key: threshold.key, expression: threshold.expression, scope: threshold.scope };
  switch (measurement.kind) {
    case 'value':
      return { ...base, value: measurement.value, passed: compare(measurement.value, threshold.operator, threshold.value) };
    case 'no data':
      return { ...base, value: null, passed: threshold.allowNoData, reason: threshold.allowNoData ? 'no data (allowed)' : 'no data' };
    case 'unevaluable':
      return { ...base, value: null, passed: false, reason: measurement.reason };
  }
}

export function evaluateThreshold(threshold: ThresholdSpec, summary: RunSummary, sampler?: ThresholdSampler): ThresholdVerdict {
  const cut = cutFor(threshold, summary, sampler);
  return verdictFor(threshold, isMeasurement(cut) ? cut : measure(threshold, cut));
}

/**
 * One verdict per threshold, in spec order. `sampler` answers the cuts RunSummary cannot
 * (several tags in a scope, percentiles other than p50/p90/p95/p99); without it those fail
 * with a reason.
 */
export function evaluateThresholds(thresholds: readonly ThresholdSpec[], summary: RunSummary, sampler?: ThresholdSampler): ThresholdVerdict[] {
  return thresholds.map((t) => evaluateThreshold(t, summary, sampler));
}

/** Abort reasons that end a run normally, leaving the verdict to the thresholds. */
const NORMAL_ENDS = new Set(['duration cap']);

export function runVerdict(verdicts: readonly ThresholdVerdict[], abortReason?: string): RunSummary['verdict'] {
  if (verdicts.some((v) => v.aborted) || (abortReason !== undefined && !NORMAL_ENDS.has(abortReason))) return 'aborted';
  return verdicts.every((v) => v.passed) ? 'passed' : 'failed';
}

/**
 * 0 all thresholds passed, 1 any failed or a threshold stopped the run (abortOnFail),
 * 130 interrupted, 3 stopped by the cost budget.
 */
export function exitCodeFor(summary: Pick<RunSummary, 'verdict' | 'run'>): ExitCode {
  if (summary.verdict === 'passed') return EXIT.passed;
  if (summary.verdict === 'failed') return EXIT.thresholdsFailed;
  const reason = summary.run.abortReason ?? '';
  if (reason === 'interrupted') return EXIT.interrupted;
  if (reason === 'budget') return EXIT.runFailed;
  return EXIT.thresholdsFailed;
}
