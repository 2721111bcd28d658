/**
 * The main thread's side of the worker pool: a Piscina pool of one worker thread per core,
 * each running one long-lived LaneTask, plus the two BroadcastChannels of protocol.ts
 * (control out, events in).
 *
 * Calls travel in batches over each lane's port: every call placed on a lane during one
 * event-loop turn goes in one CallBatch (sent from a microtask, so a call is never held
 * back past the turn that placed it), and each worker answers with one OutcomeBatch per
 * turn of its own. A Piscina task per call posted a message per call, which cost more than
 * a zero-latency call itself; a lane per thread keeps Piscina's thread lifecycle and pays
 * for messages per batch. The concurrency gate decides what runs; the pool only places it,
 * on the lane with the fewest calls in flight.
 *
 * A thread that dies fails its lane's calls (the caller records `worker_crashed`); Piscina
 * starts a new thread and a new lane takes it. A thread whose code never loaded gets no new
 * lane (starting it again would not help), and `ready` reports it at once.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { BroadcastChannel, MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { PACKAGE_ROOT } from '../cli/version.js';
import { LoadspecError } from '../errors.js';
import type { CallOutcome } from '../results/types.js';
import type { CallBatch, CallTask, ControlMessage, LaneHello, LaneTask, OutcomeBatch, WorkerEvent, WorkerInit } from './protocol.js';

/** The compiled worker: tests that run src/ still start workers from dist/. */
export const WORKER_FILE = path.join(PACKAGE_ROOT, 'dist', 'pool', 'worker.js');

/**
 * Most calls in one CallBatch. A worker starts a batch's calls together, so an unbounded
 * batch (a burst of thousands) would keep thousands of half-done calls alive at once, where
 * small batches let each finish (at zero latency) before the next message is read.
 */
const MAX_BATCH = 64;

/** Extra call slots per worker above an even share, for uneven placement. */
const SLACK_PER_WORKER = 16;

interface Waiting {
  readonly resolve: (outcome: CallOutcome) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  /** The main thread's end of the lane. */
  readonly port: MessagePort;
  /** Known once the lane says hello. */
  threadId: number | undefined;
  /** Calls placed on it and not answered yet, by job index. */
  readonly waiting: Map<number, Waiting>;
  /** Calls placed this turn, not sent yet. */
  outbox: CallTask[];
  loaded: boolean;
}

export interface CallPoolOptions {
  readonly init: Omit<WorkerInit, 'controlChannel' | 'metricsChannel'>;
  /** 0: one per core. */
  readonly threads: number;
  readonly concurrency: number;
  readonly onEvent: (event: WorkerEvent) => void;
  /** Environment for worker threads (default: the process's). */
  readonly env?: NodeJS.ProcessEnv;
}

export function resolveThreads(requested: number): number {
  return requested > 0 ? Math.floor(requested) : Math.max(1, availableParallelism());
}

export class CallPool {
  readonly threads: number;
  private readonly workerData: WorkerInit;
  private readonly live: Thread[] = [];
  private readonly piscina: Piscina;
  private readonly control: BroadcastChannel;
  private readonly events: BroadcastChannel;
  private readonly readyThreads = new Set<number>();
  private readyWaiters: (() => void)[] = [];
  private flushWaiters = new Map<number, { threads: Set<number>; done: () => void }>();
  private nextFlushId = 1;
  private sendScheduled = false;
  private inFlight = 0;
  private readonly slots: number;
  private closed = false;
  /** The last error a worker thread died of, for messages. */
  lastError: string | undefined;

  constructor(private readonly options: CallPoolOptions) {
    if (!existsSync(WORKER_FILE)) {
      throw new LoadspecError('LOADSPEC_RUN_FAILED', `the worker thread code is missing (${WORKER_FILE})`, { hint: 'build loadspec first: npm run build' });
    }
    this.threads = resolveThreads(options.threads);
    this.slots = this.threads * (Math.ceil(options.concurrency / this.threads) + SLACK_PER_WORKER);
    const controlChannel = `loadspec:${options.init.runId}:control`;
    const metricsChannel = `loadspec:${options.init.runId}:events`;
    this.control = new BroadcastChannel(controlChannel);
    this.events = new BroadcastChannel(metricsChannel);
    this.events.onmessage = (message: unknown) => this.receive((message as { data: WorkerEvent }).data);
    this.workerData = { ...options.init, controlChannel, metricsChannel };
    this.piscina = new Piscina({
      filename: WORKER_FILE,
      minThreads: this.threads,
      maxThreads: this.threads,
      // One lane per thread: a second task would wait behind a lane that never ends.
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      // Piscina's default waits for tasks with Atomics.wait, which freezes an idle lane's
      // timers and sockets between messages.
      atomics: 'disabled',
      workerData: this.workerData,
      ...(options.env ? { env: options.env } : {}),
    });
    // A thread that fails to load is reported through its lane; the pool must not throw.
    this.piscina.on('error', (error: unknown) => {
      this.lastError = error instanceof Error ? error.message : String(error);
    });
    for (let i = 0; i < this.threads; i++) this.openLane();
  }

  /**
   * Resolves once every thread has loaded its code, or after `timeoutMs` regardless, with
   * how many threads are ready (0: the worker code does not start at all).
   */
  ready(timeoutMs: number): Promise<number> {
    if (this.readyThreads.size >= this.threads || this.live.length === 0) return Promise.resolve(this.readyThreads.size);
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const threads = this.readyThreads;
      function done(): void {
        clearTimeout(timer);
        resolve(threads.size);
      }
      this.readyWaiters.push(done);
    });
  }

  /**
   * Runs a call on some worker. Rejects only when the worker died under it (the task
   * itself never throws): the caller records that as `worker_crashed`.
   */
  run(task: CallTask): Promise<CallOutcome> {
    const thread = this.leastBusy();
    if (!thread) return Promise.reject(new Error(this.closed ? 'the worker pool is closed' : `no worker thread is running${this.lastError ? ` (${this.lastError})` : ''}`));
    return new Promise((resolve, reject) => {
      thread.waiting.set(task.job.index, { resolve, reject });
      this.inFlight++;
      thread.outbox.push(task);
      if (!this.sendScheduled) {
        this.sendScheduled = true;
        queueMicrotask(this.sendAll);
      }
    });
  }

  send(message: ControlMessage): void {
    if (!this.closed) this.control.postMessage(message);
  }

  cancelAll(reason: string): void {
    this.send({ type: 'cancel-all', reason });
  }

  /** Asks every worker for its remaining metrics; resolves when all answered, or at the timeout. */
  flush(timeoutMs: number): Promise<void> {
    const requestId = this.nextFlushId++;
    const live = new Set(this.live.flatMap((t) => (t.loaded && t.threadId !== undefined ? [t.threadId] : [])));
    return new Promise((resolve) => {
      const timer = setTimeout(finish, timeoutMs);
      const waiters = this.flushWaiters;
      function finish(): void {
        clearTimeout(timer);
        waiters.delete(requestId);
        resolve();
      }
      if (live.size === 0) return finish();
      this.flushWaiters.set(requestId, { threads: live, done: finish });
      this.send({ type: 'flush', requestId });
    });
  }

  /** Busy share of the pool's call slots, 0..1. */
  get utilization(): number {
    return Math.min(1, this.inFlight / this.slots);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.control.close();
    this.events.close();
    const threads = this.live.splice(0);
    for (const thread of threads) {
      this.fail(thread, new Error('the worker pool was closed'));
      thread.port.close();
    }
    await this.piscina.destroy();
  }

  /** Starts a lane: a LaneTask that Piscina hands to a free thread, serving calls until closed. */
  private openLane(): void {
    const { port1, port2 } = new MessageChannel();
    const thread: Thread = { port: port1, threadId: undefined, waiting: new Map(), outbox: [], loaded: false };
    this.live.push(thread);
    port1.on('message', (message: LaneHello | OutcomeBatch) => {
      if (message.type === 'hello') {
        // Piscina runs a task only once the worker's module (and its warm-up) has loaded.
        thread.threadId = message.threadId;
        thread.loaded = true;
      } else this.answered(thread, message);
    });
    // Like the timers of a run, an idle lane alone must not keep the process alive.
    port1.unref();
    const task: LaneTask = { type: 'lane', port: port2 };
    this.piscina.run(task, { transferList: [port2] }).then(
      () => this.exited(thread, 'the lane closed'),
      (error: unknown) => this.exited(thread, error instanceof Error ? error.message : String(error)),
    );
  }

  private readonly sendAll = (): void => {
    this.sendScheduled = false;
    for (const thread of this.live) {
      const tasks = thread.outbox;
      thread.outbox = [];
      for (let from = 0; from < tasks.length; from += MAX_BATCH) {
        const batch: CallBatch = { type: 'calls', tasks: tasks.length <= MAX_BATCH ? tasks : tasks.slice(from, from + MAX_BATCH) };
        thread.port.postMessage(batch);
      }
    }
  };

  private leastBusy(): Thread | undefined {
    let best: Thread | undefined;
    for (const thread of this.live) {
      if (!best || thread.waiting.size < best.waiting.size) best = thread;
    }
    return best;
  }

  private answered(thread: Thread, batch: OutcomeBatch): void {
    for (const outcome of batch.outcomes) this.settle(thread, outcome.index)?.resolve(outcome);
    for (const failure of batch.failures) this.settle(thread, failure.index)?.reject(new Error(failure.message));
  }

  private settle(thread: Thread, index: number): Waiting | undefined {
    const waiting = thread.waiting.get(index);
    if (waiting) {
      thread.waiting.delete(index);
      this.inFlight--;
    }
    return waiting;
  }

  private exited(thread: Thread, why: string): void {
    const at = this.live.indexOf(thread);
    if (at >= 0) this.live.splice(at, 1);
    if (this.closed) return;
    this.lastError = why;
    this.fail(thread, new Error(why));
    thread.port.close();
    if (thread.loaded) {
      this.openLane();
      return;
    }
    // Its code never loaded: nothing to replace it with. Waiting for it is pointless.
    if (this.readyThreads.size === 0 || this.live.length === 0) this.releaseReadyWaiters();
  }

  /** Fails every call placed on a thread that is gone. */
  private fail(thread: Thread, error: Error): void {
    const waiting = [...thread.waiting.values()];
    this.inFlight -= thread.waiting.size;
    thread.waiting.clear();
    thread.outbox = [];
    for (const call of waiting) call.reject(error);
  }

  private releaseReadyWaiters(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const done of waiters) done();
  }

  private receive(event: WorkerEvent): void {
    if (event.type === 'ready') {
      this.readyThreads.add(event.threadId);
      if (this.readyThreads.size >= this.threads) this.releaseReadyWaiters();
      return;
    }
    if (event.type === 'flushed') {
      const waiting = this.flushWaiters.get(event.requestId);
      if (waiting) {
        waiting.threads.delete(event.threadId);
        if (waiting.threads.size === 0) waiting.done();
      }
      return;
    }
    this.options.onEvent(event);
  }
}
