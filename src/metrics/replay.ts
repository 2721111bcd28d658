/**
 * Recomputes a run's metrics from its outcomes (calls.jsonl), through the same WorkerMetrics
 * → RunMetrics path the live run used, so `loadspec report` gets the live run's numbers.
 * The gauges a live run samples (active, queued, target starts, peak) are rebuilt exactly
 * from each call's due, start and end times; loadspec's own resource use cannot be, so a
 * replayed summary has no `resources`.
 */
import type { CallOutcome } from '../results/types.js';
import type { Spec } from '../spec/types.js';
import { RunMetrics } from './run-metrics.js';
import { WorkerMetrics, type CallCut } from './worker-metrics.js';

export interface ReplayOptions {
  readonly spec: Spec;
  readonly runStartMs: number;
  readonly intervalMs: number;
  readonly planned: number;
  readonly threads?: number;
}

/** Outcomes between merges: bounds the memory of the replaying WorkerMetrics. */
const MERGE_EVERY = 2000;

export function summarizeOutcomes(outcomes: Iterable<CallOutcome>, o: ReplayOptions): RunMetrics {
  const run = new RunMetrics({ ...o, sampleResources: false });
  const worker = new WorkerMetrics({ runStartMs: o.runStartMs, intervalMs: o.intervalMs });
  const timeline = new GaugeTimeline();
  let pending = 0;
  for (const outcome of outcomes) {
    timeline.add(outcome);
    if (outcome.status === 'dropped') {
      run.recordLocal(outcome);
      continue;
    }
    const cut: CallCut = { scenario: outcome.scenario, variant: outcome.variant, persona: { segment: outcome.segment } };
    if (outcome.startedAtMs !== undefined) worker.callStarted(cut, outcome.startedAtMs, outcome.queueWaitMs);
    for (const turn of outcome.turns) worker.turnEnded(cut, turn);
    worker.callEnded(outcome);
    if (++pending >= MERGE_EVERY) {
      run.merge({ threadId: 0, intervals: worker.drain(true) });
      pending = 0;
    }
  }
  run.merge({ threadId: 0, intervals: worker.drain(true) });
  timeline.replay(run, o);
  return run;
}

type Event = { readonly atMs: number; readonly active: number; readonly queued: number; readonly arrivals: number };

/** Every call's arrival, queueing and activity as a sweep line over time. */
class GaugeTimeline {
  private readonly events: Event[] = [];

  add(c: CallOutcome): void {
    this.events.push({ atMs: c.dueAtMs, active: 0, queued: 1, arrivals: 1 });
    if (c.startedAtMs === undefined) {
      this.events.push({ atMs: c.endedAtMs, active: 0, queued: -1, arrivals: 0 });
      return;
    }
    this.events.push({ atMs: c.startedAtMs, active: 1, queued: -1, arrivals: 0 });
    this.events.push({ atMs: c.endedAtMs, active: -1, queued: 0, arrivals: 0 });
  }

  /** One gauge sample per interval, as of the interval's end; the target is the interval's arrivals. */
  replay(run: RunMetrics, o: ReplayOptions): void {
    if (this.events.length === 0) return;
    // At equal times, ends before starts: a line freed and taken at once is not two calls.
    this.events.sort((a, b) => a.atMs - b.atMs || a.active - b.active);
    const lastMs = this.events.at(-1)!.atMs;
    let active = 0;
    let queued = 0;
    let arrivals = 0;
    let peak = 0;
    let next = 0;
    for (let i = 0; o.runStartMs + i * o.intervalMs <= lastMs; i++) {
      const endMs = o.runStartMs + (i + 1) * o.intervalMs;
      arrivals = 0;
      for (; next < this.events.length && this.events[next]!.atMs < endMs; next++) {
        const e = this.events[next]!;
        active += e.active;
        queued += e.queued;
        arrivals += e.arrivals;
        peak = Math.max(peak, active);
      }
      run.recordGauges({ atMs: o.runStartMs + i * o.intervalMs, active, peakActive: peak, queued, targetStarts: arrivals, poolUtilization: 0 });
    }
  }
}
