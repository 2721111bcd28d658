/**
 * The main thread's view of the run: it merges workers' interval deltas by interval index
 * (never by arrival order), keeps the per-interval series for charts, the whole run and
 * every scenario × variant × segment cut for the summary, and the engine's gauges and
 * loadspec's own resource use for the live view.
 */
import type { IntervalDelta } from '../pool/protocol.js';
import type { LiveSnapshot } from '../report/reporter.js';
import type { CallOutcome } from '../results/types.js';
import type { Spec } from '../spec/types.js';
import type { Breakdown, ResourceSummary, RunSummary, ThresholdVerdict } from './summary.js';
import { SUMMARY_VERSION } from './summary.js';
import { Aggregate } from './aggregate.js';
import { costSummary, type ModelUsage } from './cost.js';
import { decodeHistogram } from './histogram.js';
import { IntervalSeries, type GaugeSample } from './interval-series.js';
import { expectedRateAt, expectedScheduleEndMs, timeline, type Timeline } from '../schedule/arrivals.js';
import { availableCores, ResourceSampler, saturationCpuPercent, type ResourceSample, type ResourceSource } from './resources.js';
import {
  cutKey,
  MODEL_INPUT_TOKENS,
  MODEL_OUTPUT_TOKENS,
  MODEL_REQUESTS,
  NO_SEGMENT,
  OTHER_SEGMENT,
  parseKey,
  SEGMENT_CAP,
  type ParsedKey,
  type Tags,
} from './series-key.js';
import { WorkerMetrics } from './worker-metrics.js';
import type { TagName } from './registry.js';

export interface RunMetricsOptions {
  readonly spec: Spec;
  readonly runStartMs: number;
  readonly intervalMs: number;
  readonly planned: number;
  /** Worker threads, for the resource summary (default: load.threads, or one per core). */
  readonly threads?: number;
  /** Sample loadspec's own CPU, RSS and loop lag (default true; off when replaying results). */
  readonly sampleResources?: boolean;
  /** Where resource samples come from (default: this process, via ResourceSampler). */
  readonly resources?: ResourceSource;
}

/** Resource samples closer together than this are skipped: CPU over a few ms is noise. */
const MIN_RESOURCE_SAMPLE_GAP_MS = 500;
const PARSED_KEY_CACHE = 10_000;

interface Cut {
  readonly tags: Tags;
  readonly agg: Aggregate;
}

export class RunMetrics {
  private readonly o: RunMetricsOptions;
  private readonly total = new Aggregate();
  private readonly cuts = new Map<string, Cut>();
  private readonly models = new Map<string, { requests: number; inputTokens: number; outputTokens: number }>();
  private readonly series: IntervalSeries;
  private readonly local: WorkerMetrics;
  private readonly segments = new Set<string>();
  private readonly parsedKeys = new Map<string, ParsedKey>();
  private readonly sampler: ResourceSource | undefined;
  private readonly resourceSamples: ResourceSample[] = [];
  private latestGauges: GaugeSample | undefined;
  private peakActive = 0;
  private saturatedEver = false;
  private readonly pacing: Timeline;

  constructor(o: RunMetricsOptions) {
    this.o = o;
    this.series = new IntervalSeries(o.intervalMs);
    this.pacing = timeline(o.spec.load);
    this.local = new WorkerMetrics({ runStartMs: o.runStartMs, intervalMs: o.intervalMs });
    this.sampler = o.sampleResources === false ? undefined : (o.resources ?? new ResourceSampler());
  }

  /** A worker's deltas; any order, any lateness: each lands in its own interval. */
  merge(event: { threadId: number; intervals: readonly IntervalDelta[] }): void {
    for (const delta of event.intervals) this.apply(delta);
  }

  /** An outcome recorded on the main thread (a dropped call), through the same path as workers'. */
  recordLocal(outcome: CallOutcome): void {
    this.local.callEnded(outcome);
    for (const delta of this.local.drain(true)) this.apply(delta);
  }

  /** The engine's gauges (once per interval); also samples loadspec's own resource use. */
  sampleGauges(g: GaugeSample): void {
    this.recordGauges(g);
    if (!this.sampler) return;
    const prev = this.resourceSamples.at(-1);
    if (prev && g.atMs - prev.atMs < MIN_RESOURCE_SAMPLE_GAP_MS) return;
    const sample = this.sampler.sample(g.atMs);
    this.resourceSamples.push(sample);
    this.series.setResources(this.indexAt(g.atMs), sample);
    if (this.saturatedNow()) this.saturatedEver = true;
  }

  /** Gauges without a resource sample (replaying results has no live process to sample). */
  recordGauges(g: GaugeSample): void {
    this.latestGauges = g;
    this.peakActive = Math.max(this.peakActive, g.peakActive, g.active);
    this.series.setGauges(this.indexAt(g.atMs), g);
  }

  live(nowMs: number): LiveSnapshot {
    const elapsedMs = Math.max(0, nowMs - this.o.runStartMs);
    // Workers ship an interval on their own tick after it closes, so the one that just closed
    // may still be on its way; the one before it is complete unless a worker lags.
    const lastIndex = this.indexAt(nowMs) - 2;
    const last = lastIndex >= 0 ? this.series.point(lastIndex) : undefined;
    const rt = this.total.trend('response_time');
    const g = this.latestGauges;
    const res = this.resourceSamples.at(-1);
    return {
      elapsedMs,
      plannedMs: expectedScheduleEndMs(this.o.spec.load, this.pacing),
      planned: this.o.planned,
      started: this.total.get('started'),
      active: g?.active ?? 0,
      peakActive: this.peakActive,
      queued: g?.queued ?? 0,
      passed: this.total.get('passed'),
      failed: this.total.get('failed'),
      errored: this.total.get('errored'),
      dropped: this.total.get('dropped'),
      ...(last ? { last } : {}),
      responseTime: { count: rt.count, mean: rt.mean, p50: rt.p50, p95: rt.p95, p99: rt.p99 },
      errors: this.total.errors(),
      costUsd: this.total.costUsd(),
      targetRatePerSec: expectedRateAt(this.o.spec.load, elapsedMs, this.pacing),
      startRatePerSec: last ? last.started / (this.o.intervalMs / 1000) : 0,
      cpuPercent: res?.cpuPercent ?? 0,
      rssBytes: res?.rssBytes ?? 0,
      loopLagP99Ms: res?.loopLagP99Ms ?? 0,
      poolUtilization: g?.poolUtilization ?? 0,
      saturated: this.saturatedNow(),
    };
  }

  /** Metrics of the calls matching every tag of `scope` (e.g. { scenario: 'refill' }); {} is the whole run. */
  breakdown(scope: Readonly<Partial<Record<TagName, string>>> & Readonly<Record<string, string>>): Breakdown {
    const keys = Object.keys(scope);
    if (keys.length === 0) return this.total.breakdown({ planned: this.o.planned, peakActive: this.peakActive });
    const agg = new Aggregate();
    for (const cut of this.cuts.values()) {
      if (keys.every((k) => (cut.tags as unknown as Record<string, string>)[k] === scope[k])) agg.addAll(cut.agg);
    }
    return agg.breakdown();
  }

  summary(extra: { verdict: RunSummary['verdict']; thresholds: readonly ThresholdVerdict[]; run: RunSummary['run'] }): RunSummary {
    this.sampler?.stop();
    const spec = this.o.spec;
    const whole = this.breakdown({});
    return {
      summaryVersion: SUMMARY_VERSION,
      verdict: extra.verdict,
      spec: { name: spec.name, path: spec.sourcePath, seed: spec.load.seed, ...(spec.description !== undefined ? { description: spec.description } : {}) },
      run: extra.run,
      ...whole,
      thresholds: extra.thresholds,
      cost: costSummary({ spec, totalUsd: whole.costUsd, started: whole.calls.started, models: this.models as ReadonlyMap<string, ModelUsage> }),
      scenarios: this.groupBy('scenario', spec.scenarios.map((s) => s.name)),
      variants: this.groupBy('variant', spec.variants.map((v) => v.name)),
      segments: this.groupBy('segment', []),
      series: this.series.points(),
      ...(this.sampler ? { resources: this.resourceSummary() } : {}),
    };
  }

  /** Stops resource sampling (summary() does it too). */
  close(): void {
    this.sampler?.stop();
  }

  private groupBy(tag: TagName, known: readonly string[]): Record<string, Breakdown> {
    const groups = new Map<string, Aggregate>(known.map((name) => [name, new Aggregate()]));
    for (const cut of this.cuts.values()) {
      const value = cut.tags[tag];
      if (tag === 'segment' && value === NO_SEGMENT) continue;
      let agg = groups.get(value);
      if (!agg) {
        agg = new Aggregate();
        groups.set(value, agg);
      }
      agg.addAll(cut.agg);
    }
    return Object.fromEntries([...groups].map(([name, agg]) => [name, agg.breakdown()]));
  }

  private resourceSummary(): ResourceSummary {
    const cpu = this.resourceSamples.map((s) => s.cpuPercent);
    return {
      cpuPercentMax: cpu.length ? Math.max(...cpu) : 0,
      cpuPercentMean: cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : 0,
      rssMaxBytes: this.resourceSamples.reduce((m, s) => Math.max(m, s.rssBytes), 0),
      loopLagP99Ms: this.sampler?.wholeRunLoopLagP99Ms() ?? 0,
      threads: this.o.threads ?? (this.o.spec.load.threads > 0 ? this.o.spec.load.threads : availableCores()),
      saturated: this.saturatedEver,
    };
  }

  /** Two samples in a row over the line: one busy moment (start-up, GC) is not saturation. */
  private saturatedNow(): boolean {
    const [a, b] = this.resourceSamples.slice(-2);
    const limit = saturationCpuPercent();
    return a !== undefined && b !== undefined && a.cpuPercent > limit && b.cpuPercent > limit;
  }

  /** Parsing the same few hundred keys every second is waste; a misbehaving plan can't grow this past the cap. */
  private parsed(key: string): ParsedKey {
    let k = this.parsedKeys.get(key);
    if (!k) {
      if (this.parsedKeys.size >= PARSED_KEY_CACHE) this.parsedKeys.clear();
      k = parseKey(key);
      this.parsedKeys.set(key, k);
    }
    return k;
  }

  private apply(delta: IntervalDelta): void {
    for (const [key, value] of Object.entries(delta.counters)) {
      const k = this.parsed(key);
      if (k.kind === 'label') {
        this.addModelUsage(k.name, k.label, value);
        continue;
      }
      this.cut(k.tags).agg.addCounter(k.name, value);
      this.total.addCounter(k.name, value);
      this.series.addCounter(delta.index, k.name, value);
    }
    for (const [key, base64] of Object.entries(delta.histograms)) {
      const k = this.parsed(key);
      if (k.kind !== 'tagged') continue;
      const h = decodeHistogram(base64);
      this.cut(k.tags).agg.addHistogram(k.name, h);
      this.total.addHistogram(k.name, h);
      if (k.name === 'response_time') this.series.addResponseTimes(delta.index, h);
    }
  }

  private addModelUsage(name: string, model: string, value: number): void {
    let m = this.models.get(model);
    if (!m) {
      m = { requests: 0, inputTokens: 0, outputTokens: 0 };
      this.models.set(model, m);
    }
    if (name === MODEL_REQUESTS) m.requests += value;
    else if (name === MODEL_INPUT_TOKENS) m.inputTokens += value;
    else if (name === MODEL_OUTPUT_TOKENS) m.outputTokens += value;
  }

  /** The cut for these tags; segments past the cap fold into `other` (the plan caps them already). */
  private cut(tags: Tags): Cut {
    let segment = tags.segment;
    if (segment !== NO_SEGMENT && segment !== OTHER_SEGMENT && !this.segments.has(segment)) {
      if (this.segments.size >= SEGMENT_CAP) segment = OTHER_SEGMENT;
      else this.segments.add(segment);
    }
    const t = segment === tags.segment ? tags : { ...tags, segment };
    const key = cutKey(t);
    let cut = this.cuts.get(key);
    if (!cut) {
      cut = { tags: t, agg: new Aggregate() };
      this.cuts.set(key, cut);
    }
    return cut;
  }

  private indexAt(atMs: number): number {
    return Math.max(0, Math.floor((atMs - this.o.runStartMs) / this.o.intervalMs));
  }
}
