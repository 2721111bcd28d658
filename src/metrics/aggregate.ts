/**
 * One cut's accumulated metrics on the main thread (the whole run, or one
 * scenario × variant × segment), and how it becomes a Breakdown.
 */
import type { Breakdown, TrendStats } from './summary.js';
import { TREND_METRICS, type TrendMetricName } from './registry.js';
import { addHistogram, newHistogram, trendStats, type Histogram } from './histogram.js';
import { COST_COUNTER, ERROR_PREFIX, MAX_PREFIX, mergeCounter, mergeOpOf, MIN_PREFIX, SUM_PREFIX } from './series-key.js';

export class Aggregate {
  /** Counter name (tags stripped) → value. */
  readonly counters = new Map<string, number>();
  readonly histograms = new Map<string, Histogram>();

  addCounter(name: string, value: number): void {
    this.counters.set(name, mergeCounter(mergeOpOf(name), this.counters.get(name), value));
  }

  addHistogram(name: string, h: Histogram): void {
    let into = this.histograms.get(name);
    if (!into) {
      into = newHistogram();
      this.histograms.set(name, into);
    }
    addHistogram(into, h);
  }

  addAll(other: Aggregate): void {
    for (const [name, v] of other.counters) this.addCounter(name, v);
    for (const [name, h] of other.histograms) this.addHistogram(name, h);
  }

  get(name: string): number {
    return this.counters.get(name) ?? 0;
  }

  trend(name: TrendMetricName): TrendStats {
    return trendStats(this.histograms.get(name), {
      sumUs: this.get(SUM_PREFIX + name),
      minUs: this.counters.get(MIN_PREFIX + name),
      maxUs: this.counters.get(MAX_PREFIX + name),
    });
  }

  errors(): Record<string, number> {
    return errorsOf(this.counters);
  }

  costUsd(): number {
    return this.get(COST_COUNTER) / 1e9;
  }

  /**
   * `planned` and `peakActive` are only known for the whole run; a cut's planned is the
   * calls of it that arrived (started or dropped), and its peak is not measured (0).
   */
  breakdown(o: { planned?: number; peakActive?: number } = {}): Breakdown {
    const started = this.get('started');
    const failed = this.get('failed');
    const errored = this.get('errored');
    const dropped = this.get('dropped');
    const planned = o.planned ?? started + dropped;
    const trends = Object.fromEntries(TREND_METRICS.map((name) => [name, this.trend(name)])) as Record<TrendMetricName, TrendStats>;
    return {
      calls: { planned, started, passed: this.get('passed'), failed, errored, dropped, peakActive: o.peakActive ?? 0 },
      failureRate: started > 0 ? (failed + errored) / started : 0,
      dropRate: planned > 0 ? dropped / planned : 0,
      trends,
      errors: this.errors(),
      costUsd: this.costUsd(),
    };
  }
}

/** `errors.<code>` counters → { code: calls }, most frequent first. */
export function errorsOf(counters: ReadonlyMap<string, number>): Record<string, number> {
  const entries: [string, number][] = [];
  for (const [name, v] of counters) if (name.startsWith(ERROR_PREFIX) && v > 0) entries.push([name.slice(ERROR_PREFIX.length), v]);
  entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return Object.fromEntries(entries);
}
