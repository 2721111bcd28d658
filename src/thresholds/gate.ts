/**
 * The CI gate of one run: a reporter that watches the run (abortOnFail on each interval,
 * outcome samples for the cuts RunSummary cannot give) and, at the end, turns the summary
 * into its final form with threshold verdicts and the run's verdict.
 *
 * The engine attaches it like any reporter and calls `finalize` before the reporters'
 * `onEnd`, so every report renders the same verdicts; `loadspec report` replays calls.jsonl
 * through it the same way.
 */
import type { RunSummary, ThresholdVerdict } from '../metrics/summary.js';
import type { LiveSnapshot, Reporter } from '../report/reporter.js';
import type { CallOutcome } from '../results/types.js';
import type { ThresholdSpec } from '../spec/types.js';
import { AbortWatcher, thresholdFromAbortReason, type LiveBreakdown } from './abort.js';
import { evaluateThresholds, runVerdict } from './evaluate.js';
import { needsOutcomes, ThresholdSampler } from './samples.js';

export interface ThresholdGateOptions {
  /** Stops the run; the gate calls it at most once, with `threshold <key>: <expression>`. */
  readonly abort?: (reason: string) => void;
  /** The run so far cut by a scope, e.g. `(scope) => runMetrics.breakdown(scope)`, for scoped abortOnFail. */
  readonly liveBreakdown?: LiveBreakdown;
  readonly minSamples?: number;
}

export class ThresholdGate implements Reporter {
  readonly name = 'thresholds';
  private readonly sampler: ThresholdSampler;
  private readonly watcher: AbortWatcher | undefined;

  constructor(
    private readonly thresholds: readonly ThresholdSpec[],
    private readonly options: ThresholdGateOptions = {},
  ) {
    // Scoped abortOnFail thresholds are sampled too, so they are watched live even when the
    // engine gives no live breakdown.
    this.sampler = new ThresholdSampler(thresholds, (t) => needsOutcomes(t) || (t.abortOnFail && Object.keys(t.scope).length > 0));
    const abort = options.abort;
    this.watcher = abort
      ? new AbortWatcher(thresholds, abort, { sampler: this.sampler, ...(options.minSamples !== undefined ? { minSamples: options.minSamples } : {}) })
      : undefined;
  }

  onInterval(snapshot: LiveSnapshot): void {
    this.watcher?.check(snapshot, this.options.liveBreakdown);
  }

  onCallEnd(outcome: CallOutcome): void {
    this.sampler.add(outcome);
  }

  /** The reason this gate stopped the run, if it did. */
  get abortReason(): string | undefined {
    return this.watcher?.fired?.reason;
  }

  /**
   * The summary with `thresholds` and `verdict` filled in. `abortReason` (the engine's, or
   * run.json's when re-rendering) wins over the summary's own; a threshold it names is
   * marked as the one that stopped the run and fails, even if the full run recovered.
   */
  finalize(summary: RunSummary, abortReason: string | undefined = summary.run.abortReason ?? this.abortReason): RunSummary {
    const stoppedBy = thresholdFromAbortReason(abortReason, this.thresholds);
    const atMs = this.watcher?.fired?.elapsedMs;
    const verdicts: ThresholdVerdict[] = evaluateThresholds(this.thresholds, summary, this.sampler).map((verdict, i) => {
      if (this.thresholds[i] !== stoppedBy) return verdict;
      const when = atMs === undefined ? '' : ` at ${(atMs / 1000).toFixed(1)}s`;
      return { ...verdict, passed: false, aborted: true, reason: `breached${when}; stopped the run (abortOnFail)` };
    });
    const run = abortReason === undefined ? summary.run : { ...summary.run, abortReason };
    return { ...summary, run, thresholds: verdicts, verdict: runVerdict(verdicts, abortReason) };
  }
}
