/**
 * Outcomes the main thread records itself, for calls no worker finished: arrivals dropped
 * by the gate, calls whose worker thread died, calls still unfinished when the pool was
 * shut down. Every planned arrival that fired ends up in calls.jsonl, one way or another.
 */
import type { CallErrorCode } from '../errors.js';
import type { CallJob } from '../plan/types.js';
import { NO_CONVERSATION, outcomeBase as base } from '../results/outcome.js';
import type { CallOutcome } from '../results/types.js';

/**
 * An arrival that never got a line. `queue_timeout` waited past queue.maxWait; `closed`
 * was still queued when the run stopped (recorded with the `aborted` code so the two stay
 * distinguishable in errors by code).
 */
export function droppedOutcome(job: CallJob, dueAtMs: number, waitedMs: number, reason: 'queue_timeout' | 'closed'): CallOutcome {
  return {
    ...base(job, dueAtMs),
    status: 'dropped',
    ...(reason === 'closed'
      ? { errorCode: 'aborted' as const, errorMessage: 'the run stopped while the call waited for a free line' }
      : { errorMessage: `no free line within queue.maxWait (waited ${Math.round(waitedMs)} ms)` }),
    endedAtMs: dueAtMs + waitedMs,
    queueWaitMs: waitedMs,
    attempts: 0,
    ...NO_CONVERSATION,
  };
}

/** A call that was handed to a worker and never came back with an outcome. */
export function lostOutcome(job: CallJob, dueAtMs: number, dispatchedAtMs: number, endedAtMs: number, code: Extract<CallErrorCode, 'worker_crashed' | 'aborted'>, message: string): CallOutcome {
  return {
    ...base(job, dueAtMs),
    status: 'error',
    errorCode: code,
    errorMessage: message,
    startedAtMs: dispatchedAtMs,
    endedAtMs,
    queueWaitMs: Math.max(0, dispatchedAtMs - dueAtMs),
    durationMs: endedAtMs - dispatchedAtMs,
    endedBy: 'loadspec',
    attempts: 1,
    ...NO_CONVERSATION,
  };
}
