/**
 * Per-worker aggregation. Each event lands in the interval of its own timestamp
 * (index = floor((t - runStartMs) / intervalMs)), never in "the interval we are in now", so
 * a call that reports late still counts where it happened and the main thread can merge by
 * index. drain() ships closed intervals as IntervalDelta records and forgets them.
 */
import type { IntervalDelta } from '../pool/protocol.js';
import type { CallOutcome, CallStatus, TurnRecord } from '../results/types.js';
import type { TrendMetricName } from './registry.js';
import { encodeHistogram, newHistogram, toMicros, type Histogram } from './histogram.js';
import {
  COST_COUNTER,
  ERROR_PREFIX,
  labelKey,
  MAX_PREFIX,
  mergeCounter,
  MIN_PREFIX,
  MODEL_INPUT_TOKENS,
  MODEL_OUTPUT_TOKENS,
  MODEL_REQUESTS,
  NO_SEGMENT,
  seriesKey,
  SUM_PREFIX,
  tagsOf,
  TOKENS_COUNTER,
  type Tags,
} from './series-key.js';
import { nowMs } from '../drivers/types.js';

/** What WorkerMetrics reads of a CallJob: its cut. */
export interface CallCut {
  readonly scenario: string;
  readonly variant: string;
  readonly persona: { readonly segment?: string };
}

interface Bucket {
  readonly counters: Map<string, number>;
  readonly histograms: Map<string, Histogram>;
}

interface TrendKeys {
  readonly histogram: string;
  readonly sum: string;
  readonly min: string;
  readonly max: string;
}

/** The series keys of one cut, built once: most events of a run land in a handful of cuts. */
interface CutKeys {
  readonly tags: Tags;
  readonly counters: Map<string, string>;
  readonly trends: Map<string, TrendKeys>;
}

const STATUS_COUNTER: Readonly<Record<CallStatus, string>> = { passed: 'passed', failed: 'failed', error: 'errored', dropped: 'dropped' };

export class WorkerMetrics {
  private readonly runStartMs: number;
  private readonly intervalMs: number;
  private readonly buckets = new Map<number, Bucket>();
  /** scenario → variant → segment → its keys; bounded like the cuts themselves. */
  private readonly cuts = new Map<string, Map<string, Map<string, CutKeys>>>();

  constructor(o: { runStartMs: number; intervalMs: number }) {
    if (!(o.intervalMs > 0)) throw new RangeError(`intervalMs must be positive, got ${o.intervalMs}`);
    this.runStartMs = o.runStartMs;
    this.intervalMs = o.intervalMs;
  }

  /** Call this when the call really starts (after the gate and the pool queue). */
  callStarted(job: CallCut, startedAtMs: number, queueWaitMs: number): void {
    const cut = this.cut(job.scenario, job.variant, job.persona.segment);
    const index = this.indexAt(startedAtMs);
    this.count(index, counterKey(cut, 'started'), 1);
    this.trend(index, 'queue_wait', cut, queueWaitMs);
  }

  /** Call this as each turn ends, so response times move while the call goes on. */
  turnEnded(job: CallCut, turn: TurnRecord): void {
    const cut = this.cut(job.scenario, job.variant, job.persona.segment);
    if (turn.responseMs !== undefined) this.trend(this.indexAt(turn.firstByteAtMs ?? turn.sentAtMs + turn.responseMs), 'response_time', cut, turn.responseMs);
    if (turn.turnMs !== undefined) this.trend(this.indexAt(turn.endAtMs ?? turn.sentAtMs + turn.turnMs), 'turn_time', cut, turn.turnMs);
  }

  /** Every outcome, dropped ones included (those never started and carry no times). */
  callEnded(outcome: CallOutcome): void {
    const cut = this.cut(outcome.scenario, outcome.variant, outcome.segment);
    const index = this.indexAt(outcome.endedAtMs);
    this.count(index, counterKey(cut, STATUS_COUNTER[outcome.status]), 1);
    const code = errorCodeOf(outcome);
    if (code) this.count(index, counterKey(cut, ERROR_PREFIX + code), 1);
    if (outcome.costUsd > 0) this.count(index, counterKey(cut, COST_COUNTER), Math.round(outcome.costUsd * 1e9));
    let tokens = 0;
    for (const u of outcome.usage) {
      tokens += u.inputTokens + u.outputTokens;
      this.count(index, labelKey(MODEL_REQUESTS, u.model), u.requests);
      this.count(index, labelKey(MODEL_INPUT_TOKENS, u.model), u.inputTokens);
      this.count(index, labelKey(MODEL_OUTPUT_TOKENS, u.model), u.outputTokens);
    }
    if (tokens > 0) this.count(index, counterKey(cut, TOKENS_COUNTER), tokens);
    if (outcome.connectMs !== undefined) this.trend(this.indexAt(outcome.connectedAtMs ?? outcome.endedAtMs), 'connect_time', cut, outcome.connectMs);
    if (outcome.durationMs !== undefined) this.trend(index, 'call_duration', cut, outcome.durationMs);
  }

  /**
   * Closed intervals (index below the current one) as deltas, forgotten once returned;
   * `all` returns every interval, for the end of the run or a flush.
   */
  drain(all: boolean, atMs: number = nowMs()): IntervalDelta[] {
    const current = this.indexAt(atMs);
    const out: IntervalDelta[] = [];
    for (const index of [...this.buckets.keys()].sort((a, b) => a - b)) {
      if (!all && index >= current) continue;
      const bucket = this.buckets.get(index)!;
      this.buckets.delete(index);
      const histograms: Record<string, string> = {};
      for (const [key, h] of bucket.histograms) histograms[key] = encodeHistogram(h);
      out.push({ index, counters: Object.fromEntries(bucket.counters), histograms });
    }
    return out;
  }

  private indexAt(atMs: number): number {
    return Math.max(0, Math.floor((atMs - this.runStartMs) / this.intervalMs));
  }

  private bucket(index: number): Bucket {
    let b = this.buckets.get(index);
    if (!b) {
      b = { counters: new Map(), histograms: new Map() };
      this.buckets.set(index, b);
    }
    return b;
  }

  private count(index: number, key: string, value: number): void {
    const counters = this.bucket(index).counters;
    counters.set(key, mergeCounter('sum', counters.get(key), value));
  }

  private trend(index: number, name: TrendMetricName, cut: CutKeys, valueMs: number): void {
    const us = toMicros(valueMs);
    const b = this.bucket(index);
    const keys = trendKeys(cut, name);
    let h = b.histograms.get(keys.histogram);
    if (!h) {
      h = newHistogram();
      b.histograms.set(keys.histogram, h);
    }
    h.recordValue(us);
    b.counters.set(keys.sum, (b.counters.get(keys.sum) ?? 0) + us);
    b.counters.set(keys.min, Math.min(b.counters.get(keys.min) ?? us, us));
    b.counters.set(keys.max, Math.max(b.counters.get(keys.max) ?? us, us));
  }

  private cut(scenario: string, variant: string, segment: string | undefined): CutKeys {
    const seg = segment ?? NO_SEGMENT;
    let variants = this.cuts.get(scenario);
    if (!variants) this.cuts.set(scenario, (variants = new Map()));
    let segments = variants.get(variant);
    if (!segments) variants.set(variant, (segments = new Map()));
    let cut = segments.get(seg);
    if (!cut) segments.set(seg, (cut = { tags: tagsOf(scenario, variant, segment), counters: new Map(), trends: new Map() }));
    return cut;
  }
}

function counterKey(cut: CutKeys, name: string): string {
  let key = cut.counters.get(name);
  if (key === undefined) cut.counters.set(name, (key = seriesKey(name, cut.tags)));
  return key;
}

/** Series keys of a trend in a cut, built once: a turn records four series. */
function trendKeys(cut: CutKeys, name: TrendMetricName): TrendKeys {
  let keys = cut.trends.get(name);
  if (!keys) {
    const tags = cut.tags;
    keys = { histogram: seriesKey(name, tags), sum: seriesKey(SUM_PREFIX + name, tags), min: seriesKey(MIN_PREFIX + name, tags), max: seriesKey(MAX_PREFIX + name, tags) };
    cut.trends.set(name, keys);
  }
  return keys;
}

/**
 * The code an outcome counts under in "errors by code". A failed call without a code
 * failed a check; an errored one without a code is loadspec's own fault.
 */
export function errorCodeOf(outcome: CallOutcome): string | undefined {
  if (outcome.errorCode) return outcome.errorCode;
  if (outcome.status === 'failed') return 'check_failed';
  if (outcome.status === 'error') return 'internal';
  return undefined;
}
