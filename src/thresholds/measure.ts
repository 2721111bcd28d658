/**
 * Reads the number a threshold compares from one cut of the calls. A cut is whatever can
 * answer: a Breakdown of the final summary, the live snapshot mid-run, or counts and raw
 * samples gathered from call outcomes. Each says what it cannot answer, so a threshold
 * is never measured by guessing.
 */
import { METRICS, type TrendMetricName } from '../metrics/registry.js';
import type { Breakdown, CallCounts, RunSummary, TrendStats } from '../metrics/summary.js';
import type { LiveSnapshot } from '../report/reporter.js';
import type { ThresholdSpec } from '../spec/types.js';

/** The stats every cut has; absent fields are ones this cut cannot answer. */
export type PartialTrend = Pick<TrendStats, 'count'> & Partial<Omit<TrendStats, 'count'>>;

export interface MetricCut extends Omit<CallCounts, 'peakActive'> {
  readonly peakActive?: number;
  /** Calls in progress now (live) or in the last interval (end of run). */
  readonly active?: number;
  readonly failureRate: number;
  readonly dropRate: number;
  readonly trends: Readonly<Partial<Record<string, PartialTrend>>>;
  readonly costUsd: number;
  readonly tokens?: number;
  /** Time the cut covers, for counter rates. */
  readonly durationMs: number;
  /** Any percentile of a trend, when the cut holds raw samples. */
  percentile?(metric: TrendMetricName, percentile: number): number | undefined;
}

export type Measurement =
  | { readonly kind: 'value'; readonly value: number; readonly samples: number }
  | { readonly kind: 'no data'; readonly reason: string }
  | { readonly kind: 'unevaluable'; readonly reason: string };

/** Percentiles a TrendStats carries as fields. */
const STAT_PERCENTILES: Readonly<Record<number, 'p50' | 'p90' | 'p95' | 'p99'>> = { 50: 'p50', 90: 'p90', 95: 'p95', 99: 'p99' };

export function isStatPercentile(percentile: number): boolean {
  return STAT_PERCENTILES[percentile] !== undefined;
}

export function cutFromBreakdown(breakdown: Breakdown, durationMs: number, extra: { active?: number; tokens?: number } = {}): MetricCut {
  const { calls } = breakdown;
  return {
    planned: calls.planned,
    started: calls.started,
    passed: calls.passed,
    failed: calls.failed,
    errored: calls.errored,
    dropped: calls.dropped,
    peakActive: calls.peakActive,
    ...(extra.active !== undefined ? { active: extra.active } : {}),
    failureRate: breakdown.failureRate,
    dropRate: breakdown.dropRate,
    trends: breakdown.trends,
    costUsd: breakdown.costUsd,
    ...(extra.tokens !== undefined ? { tokens: extra.tokens } : {}),
    durationMs,
  };
}

/** The whole run of a final summary: tokens come from the cost summary, active from the last interval. */
export function cutFromSummary(summary: RunSummary): MetricCut {
  const models = Object.values(summary.cost.byModel);
  const tokens = models.reduce((sum, m) => sum + m.inputTokens + m.outputTokens, 0);
  const last = summary.series[summary.series.length - 1];
  return cutFromBreakdown(summary, summary.run.durationMs, { tokens, ...(last ? { active: last.active } : {}) });
}

/** The run so far, as the live snapshot sees it: whole run only, response_time only. */
export function cutFromSnapshot(snapshot: LiveSnapshot): MetricCut {
  const failedOrErrored = snapshot.failed + snapshot.errored;
  return {
    planned: snapshot.planned,
    started: snapshot.started,
    passed: snapshot.passed,
    failed: snapshot.failed,
    errored: snapshot.errored,
    dropped: snapshot.dropped,
    peakActive: snapshot.peakActive,
    active: snapshot.active,
    failureRate: snapshot.started > 0 ? failedOrErrored / snapshot.started : 0,
    // Mid-run, only arrivals so far can have been dropped: divide by those, not the plan.
    dropRate: arrived(snapshot) > 0 ? snapshot.dropped / arrived(snapshot) : 0,
    trends: { response_time: snapshot.responseTime },
    costUsd: snapshot.costUsd,
    durationMs: snapshot.elapsedMs,
  };
}

function arrived(snapshot: LiveSnapshot): number {
  return snapshot.started + snapshot.dropped + snapshot.queued;
}

/** The value the threshold's aggregation reads from the cut. */
export function measure(threshold: ThresholdSpec, cut: MetricCut): Measurement {
  const def = METRICS.get(threshold.metric);
  if (!def) return { kind: 'unevaluable', reason: `unknown metric ${threshold.metric}` };
  if (cut.planned === 0) return { kind: 'no data', reason: 'no data' };
  switch (def.type) {
    case 'trend':
      return measureTrend(threshold, cut);
    case 'rate':
      return measureRate(threshold, cut);
    case 'counter':
      return measureCounter(threshold, cut);
    case 'gauge':
      return measureGauge(threshold, cut);
  }
}

function measureTrend(threshold: ThresholdSpec, cut: MetricCut): Measurement {
  const stats = cut.trends[threshold.metric];
  if (!stats) return { kind: 'unevaluable', reason: `${threshold.metric} is not measured in this cut` };
  if (stats.count === 0) return { kind: 'no data', reason: 'no data' };
  const field = trendField(threshold);
  if (field !== undefined) {
    const value = stats[field];
    return value === undefined ? { kind: 'unevaluable', reason: `${threshold.aggregation} of ${threshold.metric} is not measured in this cut` } : { kind: 'value', value, samples: stats.count };
  }
  const percentile = threshold.percentile;
  if (percentile === undefined) return { kind: 'unevaluable', reason: `aggregation ${threshold.aggregation} does not apply to ${threshold.metric}` };
  const value = cut.percentile?.(threshold.metric as TrendMetricName, percentile);
  if (value === undefined) {
    return { kind: 'unevaluable', reason: `${threshold.aggregation} of ${threshold.metric} needs the per-call outcomes, which this evaluation did not have` };
  }
  return { kind: 'value', value, samples: stats.count };
}

function trendField(threshold: ThresholdSpec): keyof Omit<TrendStats, 'count'> | undefined {
  switch (threshold.aggregation) {
    case 'avg':
      return 'mean';
    case 'min':
      return 'min';
    case 'max':
      return 'max';
    case 'med':
      return 'p50';
    default:
      return threshold.percentile === undefined ? undefined : STAT_PERCENTILES[threshold.percentile];
  }
}

function measureRate(threshold: ThresholdSpec, cut: MetricCut): Measurement {
  if (threshold.metric === 'failure_rate') {
    return cut.started === 0 ? { kind: 'no data', reason: 'no data' } : { kind: 'value', value: cut.failureRate, samples: cut.started };
  }
  // Arrivals that were decided (started or dropped) are the rate's samples.
  if (threshold.metric === 'drop_rate') return { kind: 'value', value: cut.dropRate, samples: cut.started + cut.dropped };
  return { kind: 'unevaluable', reason: `no rate is kept for ${threshold.metric}` };
}

const COUNTERS: Readonly<Record<string, (cut: MetricCut) => number | undefined>> = {
  planned: (c) => c.planned,
  started: (c) => c.started,
  passed: (c) => c.passed,
  failed: (c) => c.failed,
  errored: (c) => c.errored,
  dropped: (c) => c.dropped,
  cost: (c) => c.costUsd,
  tokens: (c) => c.tokens,
};

function measureCounter(threshold: ThresholdSpec, cut: MetricCut): Measurement {
  const count = COUNTERS[threshold.metric]?.(cut);
  if (count === undefined) return { kind: 'unevaluable', reason: `${threshold.metric} is not counted in this cut` };
  if (threshold.aggregation === 'count') return { kind: 'value', value: count, samples: cut.planned };
  if (threshold.aggregation === 'rate') {
    if (cut.durationMs <= 0) return { kind: 'no data', reason: 'no data' };
    return { kind: 'value', value: count / (cut.durationMs / 1000), samples: cut.planned };
  }
  return { kind: 'unevaluable', reason: `aggregation ${threshold.aggregation} does not apply to ${threshold.metric}` };
}

function measureGauge(threshold: ThresholdSpec, cut: MetricCut): Measurement {
  const value = threshold.metric === 'active' && threshold.aggregation === 'value' ? cut.active : cut.peakActive;
  if (value === undefined) return { kind: 'unevaluable', reason: `${threshold.metric} is not tracked in this cut` };
  return { kind: 'value', value, samples: cut.planned };
}
