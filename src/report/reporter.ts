/**
 * The reporter interface: one event stream (begin, interval, call end, end) and reporters
 * with optional hooks. The live view, the results writer and the HTML / JSON / JUnit
 * outputs are all reporters; the run never knows which are attached. A multiplexer calls
 * each hook inside try/catch so one broken reporter cannot break the run.
 */
import type { IntervalPoint, RunSummary } from '../metrics/summary.js';
import type { CallOutcome } from '../results/types.js';
import type { Spec } from '../spec/types.js';

export interface RunInfo {
  readonly runId: string;
  readonly spec: Spec;
  /** Results folder for this run. */
  readonly outDir: string;
  readonly startedAtMs: number;
  readonly intervalMs: number;
  readonly threads: number;
  readonly shard?: { readonly index: number; readonly total: number };
  /** Settings after CLI overrides, for the report's settings table. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** The live state a reporter sees each interval: the merged run so far. */
export interface LiveSnapshot {
  readonly elapsedMs: number;
  /** Planned run length (phases), for the progress bar. */
  readonly plannedMs: number;
  readonly planned: number;
  readonly started: number;
  readonly active: number;
  readonly peakActive: number;
  readonly queued: number;
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  readonly dropped: number;
  /** The last complete interval. */
  readonly last?: IntervalPoint;
  /** Whole run so far, ms. */
  readonly responseTime: { readonly count: number; readonly mean: number; readonly p50: number; readonly p95: number; readonly p99: number };
  readonly errors: Readonly<Record<string, number>>;
  readonly costUsd: number;
  readonly targetRatePerSec: number;
  readonly startRatePerSec: number;
  readonly cpuPercent: number;
  readonly rssBytes: number;
  readonly loopLagP99Ms: number;
  readonly poolUtilization: number;
  /** loadspec's own CPU passed ~80%: numbers may understate the target. */
  readonly saturated: boolean;
}

export interface Reporter {
  readonly name: string;
  onBegin?(info: RunInfo): void | Promise<void>;
  onInterval?(snapshot: LiveSnapshot): void | Promise<void>;
  onCallEnd?(outcome: CallOutcome): void | Promise<void>;
  onEnd?(summary: RunSummary): void | Promise<void>;
  /** Last chance to flush; awaited before the process exits, also after Ctrl-C. */
  onExit?(): void | Promise<void>;
}
