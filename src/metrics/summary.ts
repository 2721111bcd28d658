/**
 * The run summary: what summary.json holds, what thresholds evaluate and what every
 * report renders. Computed from merged metrics, or recomputed from calls.jsonl.
 */
import type { TrendMetricName } from './registry.js';

export const SUMMARY_VERSION = 1;

/** Milliseconds, from an HDR histogram with microsecond resolution. */
export interface TrendStats {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface CallCounts {
  readonly planned: number;
  readonly started: number;
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  readonly dropped: number;
  readonly peakActive: number;
}

/** Everything measured for one cut of the calls (whole run, a scenario, a variant, a segment). */
export interface Breakdown {
  readonly calls: CallCounts;
  /** (failed + errored) / started; 0 when nothing started. */
  readonly failureRate: number;
  /** dropped / planned. */
  readonly dropRate: number;
  readonly trends: Readonly<Record<TrendMetricName, TrendStats>>;
  /** Call error code → calls. */
  readonly errors: Readonly<Record<string, number>>;
  readonly costUsd: number;
}

/** One interval of the run's time series, for the live view and the report's charts. */
export interface IntervalPoint {
  readonly index: number;
  /** Offset of the interval's start from the run's start. */
  readonly startOffsetMs: number;
  readonly started: number;
  /** Calls the pacing should have started in this interval. */
  readonly targetStarts: number;
  readonly active: number;
  readonly queued: number;
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  readonly dropped: number;
  readonly responseTime: Pick<TrendStats, 'count' | 'mean' | 'p50' | 'p95' | 'p99'>;
  readonly errors: Readonly<Record<string, number>>;
  /** loadspec's own CPU use, percent of one core (may exceed 100 with several threads). */
  readonly cpuPercent?: number;
  readonly rssBytes?: number;
  readonly loopLagP99Ms?: number;
}

export interface ThresholdVerdict {
  readonly metric: string;
  /** The key as written in the spec, e.g. `response_time{scenario:refill}`. */
  readonly key: string;
  readonly expression: string;
  readonly scope: Readonly<Record<string, string>>;
  /** Measured value in the metric's unit; null when there was no data. */
  readonly value: number | null;
  readonly passed: boolean;
  /** Why it failed, when not simply by value: `no data`. */
  readonly reason?: string;
  /** This threshold stopped the run (abortOnFail). */
  readonly aborted?: boolean;
}

export interface CostSummary {
  readonly totalUsd: number;
  readonly perCallUsd: number;
  /** Provider (`openai`, `twilio`) → spend and usage. */
  readonly byProvider: Readonly<Record<string, { readonly usd: number; readonly requests: number; readonly inputTokens: number; readonly outputTokens: number }>>;
  /** Model → tokens and spend. */
  readonly byModel: Readonly<Record<string, { readonly usd: number; readonly requests: number; readonly inputTokens: number; readonly outputTokens: number }>>;
  readonly budgetUsd?: number;
}

export interface ResourceSummary {
  readonly cpuPercentMax: number;
  readonly cpuPercentMean: number;
  readonly rssMaxBytes: number;
  readonly loopLagP99Ms: number;
  readonly threads: number;
  /** True when loadspec's own CPU passed ~80%: its numbers may understate the target. */
  readonly saturated: boolean;
}

export interface RunSummary extends Breakdown {
  readonly summaryVersion: typeof SUMMARY_VERSION;
  readonly verdict: 'passed' | 'failed' | 'aborted';
  readonly spec: { readonly name: string; readonly path: string; readonly seed: number; readonly description?: string };
  readonly run: {
    readonly id: string;
    readonly loadspecVersion: string;
    readonly startedAt: string;
    readonly endedAt: string;
    readonly durationMs: number;
    /** Why the run stopped early: `interrupted`, `duration cap`, `threshold <key>`, `budget`. */
    readonly abortReason?: string;
    readonly shard?: { readonly index: number; readonly total: number };
    /** The settings the run used after CLI overrides (calls, concurrency, pacing...). */
    readonly settings: Readonly<Record<string, unknown>>;
  };
  readonly thresholds: readonly ThresholdVerdict[];
  readonly cost: CostSummary;
  readonly scenarios: Readonly<Record<string, Breakdown>>;
  readonly variants: Readonly<Record<string, Breakdown>>;
  readonly segments: Readonly<Record<string, Breakdown>>;
  readonly series: readonly IntervalPoint[];
  readonly resources?: ResourceSummary;
  /** Variants compared with the first (report/ab.ts); present when the run had two or more. */
  readonly abTest?: AbTestSummary;
}

/** One statistical test of a difference between a variant and the baseline. */
export interface AbTestResult {
  readonly test: 'two-proportion z' | 'Mann-Whitney U';
  /** Failure rate (fraction) or median per-call response time (ms) of each side. */
  readonly baseline: number;
  readonly variant: number;
  readonly baselineN: number;
  readonly variantN: number;
  /** Two-sided p-value; null when a side has too few samples to test. */
  readonly pValue: number | null;
  readonly significant: boolean;
  /** Caveats, e.g. `too few calls to test`. */
  readonly note?: string;
}

export interface AbTestSummary {
  readonly alpha: number;
  /** The first variant of the spec; every other variant is compared with it. */
  readonly baseline: string;
  readonly comparisons: readonly { readonly variant: string; readonly failureRate: AbTestResult; readonly responseTime: AbTestResult }[];
}
