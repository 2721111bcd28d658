/**
 * The per-interval time series on the main thread: counts and the response-time histogram
 * of each interval (merged across workers and cuts), plus the gauges and resource samples
 * taken during it. Old intervals keep their histogram compressed, so a long run costs a few
 * hundred bytes per interval, and a very late delta still merges exactly.
 */
import type { IntervalPoint } from './summary.js';
import { addHistogram, decodeHistogram, encodeHistogram, newHistogram, trendStats, type Histogram } from './histogram.js';
import { errorsOf } from './aggregate.js';
import { MAX_PREFIX, mergeCounter, mergeOpOf, MIN_PREFIX, SUM_PREFIX } from './series-key.js';
import type { ResourceSample } from './resources.js';

/** What the engine reports of the run's state at a moment. */
export interface GaugeSample {
  readonly atMs: number;
  readonly active: number;
  readonly peakActive: number;
  readonly queued: number;
  /**
   * Arrivals the pacing expected in the interval-long window ending at atMs (the engine
   * samples once per interval); the series shows it as that interval's target.
   */
  readonly targetStarts: number;
  /** Busy share of the pool's call slots, 0..1. */
  readonly poolUtilization: number;
}

/** Intervals this far behind the newest stay decoded; older ones are compressed. */
const HOT_INTERVALS = 8;

class IntervalAgg {
  readonly counters = new Map<string, number>();
  private hist: Histogram | undefined;
  private encoded: string | undefined;

  addCounter(name: string, value: number): void {
    this.counters.set(name, mergeCounter(mergeOpOf(name), this.counters.get(name), value));
  }

  addResponseTimes(h: Histogram): void {
    const into = this.histogram() ?? newHistogram();
    addHistogram(into, h);
    this.hist = into;
    this.encoded = undefined;
  }

  /** Decodes a compacted histogram without keeping it decoded (summaries read them all). */
  histogram(): Histogram | undefined {
    return this.hist ?? (this.encoded ? decodeHistogram(this.encoded) : undefined);
  }

  compact(): void {
    if (!this.hist) return;
    this.encoded = encodeHistogram(this.hist);
    this.hist = undefined;
  }
}

export class IntervalSeries {
  private readonly intervals = new Map<number, IntervalAgg>();
  private readonly gauges = new Map<number, GaugeSample>();
  private readonly resources = new Map<number, ResourceSample>();
  /** Intervals whose response-time histogram is decoded. */
  private readonly hot = new Set<number>();
  private newest = -1;

  constructor(private readonly intervalMs: number) {}

  /** Highest interval index holding anything. */
  get lastIndex(): number {
    return this.newest;
  }

  addCounter(index: number, name: string, value: number): void {
    this.at(index).addCounter(name, value);
  }

  addResponseTimes(index: number, h: Histogram): void {
    this.at(index).addResponseTimes(h);
    this.hot.add(index);
    for (const i of this.hot) {
      if (i >= this.newest - HOT_INTERVALS) continue;
      this.intervals.get(i)?.compact();
      this.hot.delete(i);
    }
  }

  setGauges(index: number, g: GaugeSample): void {
    this.gauges.set(index, g);
    this.touch(index);
  }

  setResources(index: number, r: ResourceSample): void {
    this.resources.set(index, r);
    this.touch(index);
  }

  /** Every interval from 0 to the newest, gaps filled (active and queued carry forward). */
  points(): IntervalPoint[] {
    const out: IntervalPoint[] = [];
    let gauge: GaugeSample | undefined;
    for (let i = 0; i <= this.newest; i++) {
      gauge = this.gauges.get(i) ?? gauge;
      out.push(this.build(i, gauge, this.gauges.get(i)?.targetStarts ?? 0));
    }
    return out;
  }

  /** One interval, as points() would show it. */
  point(index: number): IntervalPoint {
    return this.build(index, this.gaugeAtOrBefore(index), this.gauges.get(index)?.targetStarts ?? 0);
  }

  private build(index: number, gauge: GaugeSample | undefined, targetStarts: number): IntervalPoint {
    const agg = this.intervals.get(index);
    const c = agg?.counters ?? new Map<string, number>();
    const rt = trendStats(agg?.histogram(), {
      sumUs: c.get(SUM_PREFIX + 'response_time') ?? 0,
      minUs: c.get(MIN_PREFIX + 'response_time'),
      maxUs: c.get(MAX_PREFIX + 'response_time'),
    });
    const res = this.resources.get(index);
    return {
      index,
      startOffsetMs: index * this.intervalMs,
      started: c.get('started') ?? 0,
      // Expected arrivals are fractional; rounding drops float noise like 10.000000000000002.
      targetStarts: Math.max(0, Math.round(targetStarts * 1e6) / 1e6),
      active: gauge?.active ?? 0,
      queued: gauge?.queued ?? 0,
      passed: c.get('passed') ?? 0,
      failed: c.get('failed') ?? 0,
      errored: c.get('errored') ?? 0,
      dropped: c.get('dropped') ?? 0,
      responseTime: { count: rt.count, mean: rt.mean, p50: rt.p50, p95: rt.p95, p99: rt.p99 },
      errors: errorsOf(c),
      ...(res ? { cpuPercent: res.cpuPercent, rssBytes: res.rssBytes, loopLagP99Ms: res.loopLagP99Ms } : {}),
    };
  }

  private gaugeAtOrBefore(index: number): GaugeSample | undefined {
    for (let i = Math.min(index, this.newest); i >= 0; i--) {
      const g = this.gauges.get(i);
      if (g) return g;
    }
    return undefined;
  }

  private at(index: number): IntervalAgg {
    let agg = this.intervals.get(index);
    if (!agg) {
      agg = new IntervalAgg();
      this.intervals.set(index, agg);
    }
    this.touch(index);
    return agg;
  }

  private touch(index: number): void {
    if (index > this.newest) this.newest = index;
  }
}
