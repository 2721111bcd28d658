/**
 * Every message that crosses a thread boundary, as plain typed records. Nothing here is a
 * class instance: these are structured-cloned between the main thread and the workers.
 *
 * - Piscina task in: LaneTask, one per worker thread for the whole run, carrying the
 *   lane's MessagePort (transferred, the one handle here that is not plain data)
 * - lane (main → a worker, over its port): CallBatch of CallTasks
 *   → back (worker → main, same port): LaneHello once, then OutcomeBatch of CallOutcomes
 * - control channel (main → workers, BroadcastChannel): ControlMessage
 * - metrics channel (workers → main, BroadcastChannel): WorkerEvent
 */
import type { MessagePort } from 'node:worker_threads';
import type { CallJob } from '../plan/types.js';
import type { CallOutcome } from '../results/types.js';
import type { Spec } from '../spec/types.js';

/** Passed once to every worker as Piscina's workerData. */
export interface WorkerInit {
  readonly spec: Spec;
  readonly runId: string;
  /** Epoch ms the run started; interval indexes are counted from it. */
  readonly runStartMs: number;
  readonly intervalMs: number;
  readonly controlChannel: string;
  readonly metricsChannel: string;
  /**
   * Shared state for limits that span threads (LLM requests/tokens per minute, judge
   * concurrency): an Int32Array view over it is used with Atomics.
   */
  readonly shared?: SharedArrayBuffer;
}

export interface CallTask {
  readonly type: 'call';
  readonly job: CallJob;
  /** Epoch ms the call was due (run start + job.dueOffsetMs, or later after a queue wait). */
  readonly dueAtMs: number;
}

/**
 * Every call placed on one worker in one event-loop turn, in one message: a message per
 * call cost more than a zero-latency call itself.
 */
export interface CallBatch {
  readonly type: 'calls';
  readonly tasks: readonly CallTask[];
}

/**
 * The one Piscina task each worker runs for the whole run: it serves calls on `port` until
 * the main thread closes it. A lane per thread keeps Piscina's thread lifecycle (start,
 * replacing a thread that died) while calls travel in batches instead of a task each.
 */
export interface LaneTask {
  readonly type: 'lane';
  readonly port: MessagePort;
}

/** The first message on a lane: which thread serves it (its code has loaded by then). */
export interface LaneHello {
  readonly type: 'hello';
  readonly threadId: number;
}

/** A task that threw instead of producing an outcome (never by design: a bug in loadspec). */
export interface TaskFailure {
  readonly index: number;
  readonly message: string;
}

/** The outcomes of the calls a worker finished in one event-loop turn. */
export interface OutcomeBatch {
  readonly type: 'outcomes';
  readonly outcomes: readonly CallOutcome[];
  readonly failures: readonly TaskFailure[];
}

export type ControlMessage =
  /** Hang up one call (callTimeout is enforced in the worker; this is for the main thread's reasons). */
  | { readonly type: 'cancel'; readonly callIndex: number; readonly reason: 'aborted' | 'timeout' }
  /** Hang up every call in flight: Ctrl-C, grace period over, abortOnFail, budget. */
  | { readonly type: 'cancel-all'; readonly reason: string }
  /** Ship every metric recorded so far, then answer with `flushed`. */
  | { readonly type: 'flush'; readonly requestId: number };

/** One interval's worth of a worker's metrics. Keys are series keys made by metrics/. */
export interface IntervalDelta {
  /** floor((time - runStartMs) / intervalMs) of the events it holds. */
  readonly index: number;
  readonly counters: Readonly<Record<string, number>>;
  /** Series key → compressed HDR histogram (base64), values in microseconds. */
  readonly histograms: Readonly<Record<string, string>>;
}

export type WorkerEvent =
  | { readonly type: 'metrics'; readonly threadId: number; readonly intervals: readonly IntervalDelta[] }
  | { readonly type: 'flushed'; readonly threadId: number; readonly requestId: number }
  /** The worker loaded its code and is listening; the run's clock starts once all are. */
  | { readonly type: 'ready'; readonly threadId: number };

export type { CallOutcome };
