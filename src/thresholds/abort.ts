/**
 * abortOnFail: stops a run early once a threshold is clearly breached.
 *
 * "Clearly" means, on the run so far:
 * - at least `abortDelayMs` of run time has passed (the warm-up is not judged);
 * - the threshold measures a value (no data never aborts: the data may still come);
 * - trends and rates rest on at least `minSamples` samples (turns for a trend, started
 *   calls for failure_rate, arrivals for drop_rate), so three unlucky first calls do not
 *   stop a run;
 * - a counter or peak gauge only aborts through `<` or `<=`: a count can only grow, so such
 *   a breach is final, while `>`/`==` might still be met by the end.
 * Whole-run thresholds read the live snapshot; scoped ones read the live breakdown when the
 * engine passes one (RunMetrics.breakdown), else the outcome sampler (ThresholdGate samples
 * every scoped abortOnFail threshold). What neither can answer waits for the end.
 */
import { METRICS } from '../metrics/registry.js';
import type { Breakdown } from '../metrics/summary.js';
import type { LiveSnapshot } from '../report/reporter.js';
import type { ThresholdSpec } from '../spec/types.js';
import { compare } from './evaluate.js';
import { cutFromBreakdown, cutFromSnapshot, measure, type MetricCut } from './measure.js';
import { needsOutcomes, type ThresholdSampler } from './samples.js';

export const DEFAULT_ABORT_MIN_SAMPLES = 20;

/** `threshold response_time{scenario:refill}: p99 < 2s` — RunSummary.run.abortReason. */
export function abortReasonFor(threshold: Pick<ThresholdSpec, 'key' | 'expression'>): string {
  return `threshold ${threshold.key}: ${threshold.expression}`;
}

/** The threshold an abort reason names, if it names one. */
export function thresholdFromAbortReason<T extends Pick<ThresholdSpec, 'key' | 'expression'>>(reason: string | undefined, thresholds: readonly T[]): T | undefined {
  if (reason === undefined) return undefined;
  return thresholds.find((t) => abortReasonFor(t) === reason);
}

export interface AbortFiring {
  readonly threshold: ThresholdSpec;
  readonly value: number;
  readonly elapsedMs: number;
  readonly reason: string;
}

/** Metrics of the calls matching every tag of a scope, so far (RunMetrics.breakdown). */
export type LiveBreakdown = (scope: Readonly<Record<string, string>>) => Breakdown | undefined;

export interface AbortWatcherOptions {
  readonly minSamples?: number;
  /** Answers the thresholds whose cut needs call outcomes (several tags, odd percentiles). */
  readonly sampler?: ThresholdSampler;
}

export class AbortWatcher {
  private readonly watched: readonly ThresholdSpec[];
  private readonly minSamples: number;
  private firing: AbortFiring | undefined;

  constructor(
    thresholds: readonly ThresholdSpec[],
    private readonly abort: (reason: string) => void,
    private readonly options: AbortWatcherOptions = {},
  ) {
    this.watched = thresholds.filter((t) => t.abortOnFail);
    this.minSamples = options.minSamples ?? DEFAULT_ABORT_MIN_SAMPLES;
  }

  /** The threshold that stopped the run, once one has. */
  get fired(): AbortFiring | undefined {
    return this.firing;
  }

  /** Called every interval; calls `abort` at most once. */
  check(snapshot: LiveSnapshot, live?: LiveBreakdown): AbortFiring | undefined {
    if (this.firing) return undefined;
    for (const threshold of this.watched) {
      if (snapshot.elapsedMs < threshold.abortDelayMs) continue;
      const cut = this.liveCut(threshold, snapshot, live);
      if (!cut) continue;
      const value = this.clearBreach(threshold, cut);
      if (value === undefined) continue;
      this.firing = { threshold, value, elapsedMs: snapshot.elapsedMs, reason: abortReasonFor(threshold) };
      this.abort(this.firing.reason);
      return this.firing;
    }
    return undefined;
  }

  private liveCut(threshold: ThresholdSpec, snapshot: LiveSnapshot, live: LiveBreakdown | undefined): MetricCut | undefined {
    if (Object.keys(threshold.scope).length === 0 && !needsOutcomes(threshold)) return cutFromSnapshot(snapshot);
    const breakdown = needsOutcomes(threshold) ? undefined : live?.(threshold.scope);
    return breakdown ? cutFromBreakdown(breakdown, snapshot.elapsedMs) : this.options.sampler?.cutFor(threshold);
  }

  /** The measured value when the breach is clear, else undefined. */
  private clearBreach(threshold: ThresholdSpec, cut: MetricCut): number | undefined {
    const measurement = measure(threshold, cut);
    if (measurement.kind !== 'value') return undefined;
    if (compare(measurement.value, threshold.operator, threshold.value)) return undefined;
    const type = METRICS.get(threshold.metric)?.type;
    if (type === 'counter' || type === 'gauge') {
      const monotonic = threshold.metric !== 'active' && !(type === 'counter' && threshold.aggregation === 'rate');
      return monotonic && (threshold.operator === '<' || threshold.operator === '<=') ? measurement.value : undefined;
    }
    return measurement.samples >= this.minSamples ? measurement.value : undefined;
  }
}
