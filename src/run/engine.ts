/**
 * The run: plan → ticker → gate → pool, with metrics merged and reporters fed on the way.
 *
 *   begin → (interval every intervalMs, call end as each call ends) → end → exit
 *
 * It ends when every planned call is done, or early: at the duration cap (scheduling
 * stops, in-flight calls get `gracePeriodMs`, the rest are hung up) or through `abort()`
 * (Ctrl-C, abortOnFail, the LLM budget: scheduling stops and in-flight calls are hung up
 * at once). Either way every arrival that fired is in calls.jsonl and the summary says why
 * the run stopped.
 *
 * Clocks: the metrics' run start is taken before the worker threads start; the schedule's
 * start (due time of offset 0) once every thread has loaded, so thread start-up never
 * shows up as queue wait. Interval 0 therefore also holds the few ms of warm-up.
 */
import { randomUUID } from 'node:crypto';
import { LoadspecError, type ExitCode } from '../errors.js';
import { VERSION } from '../cli/version.js';
import { nowMs } from '../drivers/types.js';
import { RunMetrics } from '../metrics/run-metrics.js';
import type { RunSummary } from '../metrics/summary.js';
import { createPlan } from '../plan/plan.js';
import type { CallJob } from '../plan/types.js';
import { CallPool, resolveThreads } from '../pool/pool.js';
import type { WorkerEvent } from '../pool/protocol.js';
import { budgetGuardFor } from '../llm/budget.js';
import { checkLlmSetup } from '../llm/preflight.js';
import { createLlmSharedState } from '../llm/shared-state.js';
import { ReporterMultiplexer } from '../report/multiplexer.js';
import type { Reporter, RunInfo } from '../report/reporter.js';
import { ResultsWriter } from '../results/writer.js';
import { expectedArrivals } from '../schedule/arrivals.js';
import { Gate } from '../schedule/gate.js';
import { Ticker } from '../schedule/ticker.js';
import type { Spec } from '../spec/types.js';
import { exitCodeFor } from '../thresholds/evaluate.js';
import { ThresholdGate } from '../thresholds/gate.js';
import { Dispatcher } from './dispatch.js';
import { prepareOutDir } from './out-dir.js';
import { prepareTarget } from './prepare-target.js';

export const DEFAULT_INTERVAL_MS = 1_000;
/** How long to wait for every worker to load before starting the clock anyway. */
const READY_TIMEOUT_MS = 15_000;
/** After hanging up, how long calls get to report back before they are recorded as aborted. */
const HANGUP_WAIT_MS = 5_000;
const FLUSH_TIMEOUT_MS = 3_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** An interval sample this close to an arrival's due time waits until it has fired. */
const SAMPLE_CLEARANCE_MS = 3;

export interface RunOptions {
  /** `--out`; else report.outDir, else a fresh folder under loadspec-results/. */
  readonly out?: string;
  readonly cwd: string;
  readonly intervalMs?: number;
  /** Reporters besides the results writer and the threshold gate (live view, html, ...). */
  readonly reporters?: readonly Reporter[];
  /** Settings after CLI overrides, for run.json and the report. */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly runId?: string;
  /** Environment for the worker threads (default: the process's). */
  readonly workerEnv?: NodeJS.ProcessEnv;
  /** Where a failing reporter is reported (default process.stderr). */
  readonly stderr?: NodeJS.WritableStream;
}

export interface RunResult {
  readonly summary: RunSummary;
  readonly outDir: string;
  readonly exitCode: ExitCode;
  /** Outcomes written to calls.jsonl. */
  readonly outcomes: number;
}

export interface RunHandle {
  readonly result: Promise<RunResult>;
  /**
   * Stops the run early: scheduling stops, queued arrivals are recorded, in-flight calls
   * are hung up. `reason` lands in the summary (`interrupted`, `budget`, `threshold <key>: ...`).
   * The first reason wins.
   */
  abort(reason: string): void;
  /** Writes every outcome received so far to calls.jsonl now (for a second Ctrl-C). */
  flushResults(): void;
}

export function runSpec(spec: Spec, options: RunOptions): Promise<RunResult> {
  return startRun(spec, options).result;
}

export function startRun(spec: Spec, options: RunOptions): RunHandle {
  const run = new Run(spec, options);
  return { result: run.execute(), abort: (reason) => run.abort(reason), flushResults: () => run.flushResults() };
}

class Run {
  private readonly intervalMs: number;
  private abortReason: string | undefined;
  private stopRequested: ((reason: string) => void) | undefined;
  private writer: ResultsWriter | undefined;

  constructor(
    private readonly inputSpec: Spec,
    private readonly options: RunOptions,
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  }

  abort(reason: string): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.stopRequested?.(reason);
  }

  flushResults(): void {
    this.writer?.flushSync();
  }

  async execute(): Promise<RunResult> {
    for (const warning of checkLlmSetup(this.inputSpec, this.options.workerEnv ?? process.env)) (this.options.stderr ?? process.stderr).write(`loadspec: ${warning}\n`);
    const prepared = await prepareTarget(this.inputSpec);
    try {
      return await this.place(prepared.spec);
    } finally {
      await prepared.stop();
    }
  }

  private async place(spec: Spec): Promise<RunResult> {
    const runStartMs = nowMs();
    const runId = this.options.runId ?? randomUUID();
    const outDir = prepareOutDir(spec, { ...(this.options.out === undefined ? {} : { out: this.options.out }), cwd: this.options.cwd, startedAtMs: runStartMs });
    const threads = resolveThreads(spec.load.threads);
    const planned = spec.load.calls;
    const metrics = new RunMetrics({ spec, runStartMs, intervalMs: this.intervalMs, planned, threads });
    const writer = new ResultsWriter(outDir);
    this.writer = writer;
    const thresholds = new ThresholdGate(spec.thresholds, { abort: (reason) => this.abort(reason) });
    // The budget guard watches each call's cost; the shared buffer carries the LLM limits across threads.
    const budget = budgetGuardFor(spec.cost.budgetUsd, (reason) => this.abort(reason), planned);
    const reporters = new ReporterMultiplexer([writer, thresholds, ...(budget ? [budget] : []), ...(this.options.reporters ?? [])], this.options.stderr ? { stderr: this.options.stderr } : {});
    const llmShared = createLlmSharedState(spec);
    const pool = new CallPool({
      init: { spec, runId, runStartMs, intervalMs: this.intervalMs, ...(llmShared ? { shared: llmShared } : {}) },
      threads,
      concurrency: spec.load.concurrency,
      onEvent: (event: WorkerEvent) => {
        if (event.type === 'metrics') metrics.merge(event);
      },
      ...(this.options.workerEnv ? { env: this.options.workerEnv } : {}),
    });

    // Worker threads keep the process alive: whatever happens from here, they are stopped,
    // and reporters get their last chance to flush (calls.jsonl, a terminal to restore).
    let exited = false;
    try {
      const info: RunInfo = { runId, spec, outDir, startedAtMs: runStartMs, intervalMs: this.intervalMs, threads, settings: this.options.settings ?? {} };
      await reporters.onBegin(info);

      const dispatcher = new Dispatcher({
        pool,
        onOutcome: (outcome) => void reporters.onCallEnd(outcome),
        onLocalOutcome: (outcome) => metrics.recordLocal(outcome),
      });
      const gate = new Gate<CallJob>({
        concurrency: spec.load.concurrency,
        queueMaxWaitMs: spec.load.queueMaxWaitMs,
        onStart: dispatcher.start,
        onDrop: dispatcher.drop,
      });

      if ((await pool.ready(READY_TIMEOUT_MS)) === 0) {
        throw new LoadspecError('LOADSPEC_RUN_FAILED', `the worker threads did not start${pool.lastError ? `: ${pool.lastError}` : ` within ${READY_TIMEOUT_MS / 1000} s`}`);
      }
      const scheduleStartMs = nowMs();
      const ticker = new Ticker({ jobs: createPlan(spec), startMs: scheduleStartMs, onArrival: (job, dueAtMs) => gate.submit(job, dueAtMs) });

      const sample = (): void => {
        const atMs = nowMs();
        const sinceStart = atMs - scheduleStartMs;
        metrics.sampleGauges({
          atMs,
          active: gate.active,
          peakActive: gate.peakActive,
          queued: gate.queued,
          targetStarts: expectedArrivals(spec.load, sinceStart - this.intervalMs, sinceStart),
          poolUtilization: pool.utilization,
        });
        void reporters.onInterval(metrics.live(atMs));
      };
      // The sample takes a few ms of the main thread; at round rates (10/s, 1/s) it would
      // coincide with an arrival every interval and delay it, so it waits for one due now.
      let deferred: NodeJS.Timeout | undefined;
      const sampleClear = (): void => {
        const untilDueMs = ticker.nextDueAtMs - nowMs();
        if (untilDueMs > -SAMPLE_CLEARANCE_MS && untilDueMs < SAMPLE_CLEARANCE_MS) {
          deferred = setTimeout(() => {
            deferred = undefined;
            sample();
          }, Math.max(0, untilDueMs) + 1);
          return;
        }
        sample();
      };
      const intervalTimer = setInterval(sampleClear, this.intervalMs);

      const stopped = new Promise<Ending>((resolve) => {
        this.stopRequested = (reason) => resolve({ reason, grace: false });
        if (this.abortReason !== undefined) resolve({ reason: this.abortReason, grace: false });
        void whenDone(ticker, gate, spec.load.maxDurationMs).then(resolve);
      });
      ticker.start();
      const ending = await stopped;

      ticker.stop();
      gate.close();
      let abortReason: string | undefined;
      if (ending.reason !== '') {
        abortReason = this.abortReason ?? ending.reason;
        if (ending.grace && gate.active > 0) await withTimeout(gate.whenIdle(), spec.load.gracePeriodMs);
        if (gate.active > 0) {
          pool.cancelAll(abortReason);
          await withTimeout(gate.whenIdle(), HANGUP_WAIT_MS);
        }
      }
      clearInterval(intervalTimer);
      clearTimeout(deferred);
      // Calls that never reported back, even after the hang-up: recorded, not forgotten.
      dispatcher.abandonAll();
      await pool.flush(FLUSH_TIMEOUT_MS);
      sample();

      const endedAtMs = nowMs();
      const base = metrics.summary({
        verdict: 'passed',
        thresholds: [],
        run: {
          id: runId,
          loadspecVersion: VERSION,
          startedAt: new Date(runStartMs).toISOString(),
          endedAt: new Date(endedAtMs).toISOString(),
          durationMs: endedAtMs - runStartMs,
          ...(abortReason === undefined ? {} : { abortReason }),
          settings: this.options.settings ?? {},
        },
      });
      const summary = thresholds.finalize(base, abortReason);
      await reporters.onEnd(summary);
      exited = true;
      await reporters.onExit();
      return { summary, outDir, exitCode: exitCodeFor(summary), outcomes: writer.count };
    } finally {
      if (!exited) await reporters.onExit();
      metrics.close();
      await pool.close();
    }
  }
}

/** Why scheduling stopped; an empty reason means every planned call is done. */
interface Ending {
  readonly reason: string;
  /** In-flight calls get the grace period (duration cap) instead of being hung up at once. */
  readonly grace: boolean;
}

/** Every planned call done, or the duration cap, whichever comes first. */
function whenDone(ticker: Ticker<CallJob>, gate: Gate<CallJob>, capMs: number): Promise<Ending> {
  return new Promise((resolve) => {
    // Past 2^31-1 ms node fires a timer at once; such a cap is "no cap" in practice.
    const capTimer = Number.isFinite(capMs) && capMs > 0 && capMs < MAX_TIMER_MS ? setTimeout(() => resolve({ reason: 'duration cap', grace: true }), capMs) : undefined;
    void ticker.done
      .then(() => gate.whenIdle())
      .then(() => {
        if (capTimer) clearTimeout(capTimer);
        resolve({ reason: '', grace: false });
      });
    // When the run stops another way first, this timer must not keep the process alive.
    capTimer?.unref();
  });
}

function withTimeout(promise: Promise<void>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

