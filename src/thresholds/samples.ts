/**
 * Cuts that RunSummary cannot give: a scope with several tags (`{scenario:refill,
 * variant:v2}`), a percentile other than p50/p90/p95/p99, tokens within a scope. For those
 * thresholds only, the sampler keeps counts and the raw samples of the one metric each
 * needs, fed call outcome by call outcome (live from the run, or replayed from calls.jsonl).
 */
import { TREND_METRICS, type TrendMetricName } from '../metrics/registry.js';
import type { CallOutcome } from '../results/types.js';
import type { ThresholdSpec } from '../spec/types.js';
import { isStatPercentile, type MetricCut, type PartialTrend } from './measure.js';

/** The samples one outcome contributes to a trend metric (ms). */
export function trendSamples(metric: TrendMetricName, outcome: CallOutcome): number[] {
  switch (metric) {
    case 'response_time':
      return outcome.turns.flatMap((t) => (t.responseMs === undefined ? [] : [t.responseMs]));
    case 'turn_time':
      return outcome.turns.flatMap((t) => (t.turnMs === undefined ? [] : [t.turnMs]));
    case 'connect_time':
      return outcome.connectMs === undefined ? [] : [outcome.connectMs];
    case 'call_duration':
      return outcome.durationMs === undefined ? [] : [outcome.durationMs];
    case 'queue_wait':
      // As metrics/ records it: for calls that started (a dropped call's wait is its drop).
      return outcome.startedAtMs === undefined ? [] : [outcome.queueWaitMs];
  }
}

/** Nearest-rank percentile (the value below which `percentile`% of samples fall), as HDR reports it. */
export function percentileOfSorted(sorted: readonly number[], percentile: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function matchesScope(outcome: CallOutcome, scope: Readonly<Record<string, string>>): boolean {
  for (const [tag, value] of Object.entries(scope)) {
    const actual = tag === 'scenario' ? outcome.scenario : tag === 'variant' ? outcome.variant : tag === 'segment' ? outcome.segment : undefined;
    if (actual !== value) return false;
  }
  return true;
}

function isTrend(metric: string): metric is TrendMetricName {
  return (TREND_METRICS as readonly string[]).includes(metric);
}

/** Whether RunSummary alone cannot answer this threshold. */
export function needsOutcomes(threshold: ThresholdSpec): boolean {
  const tags = Object.keys(threshold.scope).length;
  if (tags >= 2) return true;
  if (threshold.metric === 'tokens' && tags > 0) return true;
  return isTrend(threshold.metric) && threshold.percentile !== undefined && !isStatPercentile(threshold.percentile);
}

/** Counts and samples for one scope and one metric, built from outcomes. */
class OutcomeCut {
  planned = 0;
  started = 0;
  passed = 0;
  failed = 0;
  errored = 0;
  dropped = 0;
  costUsd = 0;
  tokens = 0;
  firstDueAtMs = Infinity;
  lastEndedAtMs = -Infinity;
  readonly samples: number[] = [];
  private sorted = true;

  constructor(readonly metric: string) {}

  add(outcome: CallOutcome): void {
    this.planned += 1;
    if (outcome.status === 'dropped') this.dropped += 1;
    if (outcome.startedAtMs !== undefined) this.started += 1;
    if (outcome.status === 'passed') this.passed += 1;
    if (outcome.status === 'failed') this.failed += 1;
    if (outcome.status === 'error') this.errored += 1;
    this.costUsd += outcome.costUsd;
    for (const u of outcome.usage) this.tokens += u.inputTokens + u.outputTokens;
    this.firstDueAtMs = Math.min(this.firstDueAtMs, outcome.dueAtMs);
    this.lastEndedAtMs = Math.max(this.lastEndedAtMs, outcome.endedAtMs);
    if (isTrend(this.metric)) {
      const fresh = trendSamples(this.metric, outcome);
      if (fresh.length > 0) {
        this.samples.push(...fresh);
        this.sorted = false;
      }
    }
  }

  toCut(): MetricCut {
    if (!this.sorted) {
      this.samples.sort((a, b) => a - b);
      this.sorted = true;
    }
    const sorted = this.samples;
    const trends: Record<string, PartialTrend> = {};
    if (isTrend(this.metric)) {
      const count = sorted.length;
      trends[this.metric] = {
        count,
        ...(count > 0
          ? {
              min: sorted[0],
              max: sorted[count - 1],
              mean: sorted.reduce((a, b) => a + b, 0) / count,
              p50: percentileOfSorted(sorted, 50),
              p90: percentileOfSorted(sorted, 90),
              p95: percentileOfSorted(sorted, 95),
              p99: percentileOfSorted(sorted, 99),
            }
          : {}),
      };
    }
    return {
      planned: this.planned,
      started: this.started,
      passed: this.passed,
      failed: this.failed,
      errored: this.errored,
      dropped: this.dropped,
      failureRate: this.started > 0 ? (this.failed + this.errored) / this.started : 0,
      dropRate: this.planned > 0 ? this.dropped / this.planned : 0,
      trends,
      costUsd: this.costUsd,
      tokens: this.tokens,
      durationMs: this.planned > 0 ? Math.max(0, this.lastEndedAtMs - this.firstDueAtMs) : 0,
      percentile: (metric, percentile) => (metric === this.metric ? percentileOfSorted(sorted, percentile) : undefined),
    };
  }
}

/** Keeps outcome-derived cuts for exactly the thresholds that need them. */
export class ThresholdSampler {
  private readonly cuts = new Map<string, { scope: Readonly<Record<string, string>>; cut: OutcomeCut }>();

  /** `keep` picks the thresholds to sample; by default those RunSummary cannot answer. */
  constructor(thresholds: readonly ThresholdSpec[], keep: (threshold: ThresholdSpec) => boolean = needsOutcomes) {
    for (const threshold of thresholds) {
      if (!keep(threshold)) continue;
      const id = cutId(threshold);
      if (!this.cuts.has(id)) this.cuts.set(id, { scope: threshold.scope, cut: new OutcomeCut(threshold.metric) });
    }
  }

  get active(): boolean {
    return this.cuts.size > 0;
  }

  add(outcome: CallOutcome): void {
    for (const { scope, cut } of this.cuts.values()) {
      if (matchesScope(outcome, scope)) cut.add(outcome);
    }
  }

  /** The cut for a threshold that needs outcomes; undefined when this sampler does not keep it. */
  cutFor(threshold: ThresholdSpec): MetricCut | undefined {
    return this.cuts.get(cutId(threshold))?.cut.toCut();
  }
}

function cutId(threshold: ThresholdSpec): string {
  const scope = Object.entries(threshold.scope)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}:${v}`)
    .join(',');
  return `${threshold.metric}{${scope}}`;
}
