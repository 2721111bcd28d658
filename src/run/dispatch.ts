/**
 * Between the gate and the pool: hands each call that got a line to a worker and turns
 * whatever comes back into exactly one outcome for the reporters: the worker's own, or one
 * recorded here when the worker died (`worker_crashed`), when the arrival was dropped, or
 * when the call never reported back before the run shut down (`aborted`).
 *
 * Exactly one: a call recorded as abandoned is forgotten, so a late answer from its worker
 * (or the rejection when the pool is destroyed under it) never writes a second line.
 */
import { nowMs } from '../drivers/types.js';
import type { CallJob } from '../plan/types.js';
import type { CallPool } from '../pool/pool.js';
import type { CallOutcome } from '../results/types.js';
import { droppedOutcome, lostOutcome } from './outcomes.js';

interface InFlight {
  readonly job: CallJob;
  readonly dueAtMs: number;
  readonly dispatchedAtMs: number;
}

export interface DispatcherOptions {
  readonly pool: Pick<CallPool, 'run'>;
  /** Every outcome, once per call, as it ends. */
  readonly onOutcome: (outcome: CallOutcome) => void;
  /** Outcomes no worker reported, so the metrics count them too. */
  readonly onLocalOutcome: (outcome: CallOutcome) => void;
}

export class Dispatcher {
  private readonly inFlight = new Map<number, InFlight>();

  constructor(private readonly options: DispatcherOptions) {}

  /** Runs the call; the promise settles when its outcome has been recorded. */
  readonly start = (job: CallJob, dueAtMs: number): Promise<void> => {
    const dispatchedAtMs = nowMs();
    this.inFlight.set(job.index, { job, dueAtMs, dispatchedAtMs });
    return this.options.pool.run({ type: 'call', job, dueAtMs }).then(
      (outcome) => {
        if (this.inFlight.delete(job.index)) this.options.onOutcome(outcome);
      },
      (error: unknown) => {
        // The task itself never throws, so a rejection means its thread died under it.
        if (!this.inFlight.delete(job.index)) return;
        const detail = error instanceof Error ? error.message : String(error);
        this.local(lostOutcome(job, dueAtMs, dispatchedAtMs, nowMs(), 'worker_crashed', `the worker thread running the call crashed (${detail})`));
      },
    );
  };

  readonly drop = (job: CallJob, dueAtMs: number, waitedMs: number, reason: 'queue_timeout' | 'closed'): void => {
    this.local(droppedOutcome(job, dueAtMs, waitedMs, reason));
  };

  get active(): number {
    return this.inFlight.size;
  }

  /** Records every call still out as aborted and stops listening for them. */
  abandonAll(): void {
    const endedAtMs = nowMs();
    for (const { job, dueAtMs, dispatchedAtMs } of this.inFlight.values()) {
      this.local(lostOutcome(job, dueAtMs, dispatchedAtMs, endedAtMs, 'aborted', 'the call did not hang up in time and was abandoned'));
    }
    this.inFlight.clear();
  }

  private local(outcome: CallOutcome): void {
    this.options.onLocalOutcome(outcome);
    this.options.onOutcome(outcome);
  }
}
