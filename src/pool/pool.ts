/**
 * The main thread's side of the worker pool: a Piscina pool running call tasks, plus the
 * two BroadcastChannels of protocol.ts (control out, events in).
 *
 * Piscina is given enough concurrent tasks per worker for the whole concurrency to be in
 * flight without queueing inside Piscina: the concurrency gate decides what runs, Piscina
 * only places it. Atomics are disabled because the "sync" mode parks an idle worker in
 * Atomics.wait, which would freeze the timers and sockets of the calls still running on it.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { PACKAGE_ROOT } from '../cli/version.js';
import { LoadspecError } from '../errors.js';
import type { CallOutcome } from '../results/types.js';
import type { CallTask, ControlMessage, WorkerEvent, WorkerInit } from './protocol.js';

/** The compiled worker: tests that run src/ still start workers from dist/. */
export const WORKER_FILE = path.join(PACKAGE_ROOT, 'dist', 'pool', 'worker.js');

/** Extra task slots per worker above an even share, for uneven placement. */
const SLACK_PER_WORKER = 16;

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
  private readonly piscina: Piscina<CallTask, CallOutcome>;
  private readonly control: BroadcastChannel;
  private readonly events: BroadcastChannel;
  private readonly readyThreads = new Set<number>();
  private readyWaiters: (() => void)[] = [];
  private flushWaiters = new Map<number, { threads: Set<number>; done: () => void }>();
  private nextFlushId = 1;
  private closed = false;
  /** The last error a worker thread died of, for messages. */
  lastError: string | undefined;

  constructor(private readonly options: CallPoolOptions) {
    if (!existsSync(WORKER_FILE)) {
      throw new LoadspecError('LOADSPEC_RUN_FAILED', `the worker thread code is missing (${WORKER_FILE})`, { hint: 'build loadspec first: npm run build' });
    }
    this.threads = resolveThreads(options.threads);
    const controlChannel = `loadspec:${options.init.runId}:control`;
    const metricsChannel = `loadspec:${options.init.runId}:events`;
    this.control = new BroadcastChannel(controlChannel);
    this.events = new BroadcastChannel(metricsChannel);
    this.events.onmessage = (message: unknown) => this.receive((message as { data: WorkerEvent }).data);
    const workerData: WorkerInit = { ...options.init, controlChannel, metricsChannel };
    this.piscina = new Piscina<CallTask, CallOutcome>({
      filename: WORKER_FILE,
      minThreads: this.threads,
      maxThreads: this.threads,
      concurrentTasksPerWorker: Math.ceil(options.concurrency / this.threads) + SLACK_PER_WORKER,
      // min = max threads: no thread is ever idle-reaped; a large value would overflow node's timers.
      idleTimeout: 60_000,
      atomics: 'disabled',
      workerData,
      ...(options.env ? { env: options.env } : {}),
    });
    // A crashed worker rejects its own tasks (handled per call); the pool-level error event
    // must not become an unhandled 'error' that kills the run. The last one explains a pool
    // whose threads never start.
    this.piscina.on('error', (error: unknown) => {
      this.lastError = error instanceof Error ? error.message : String(error);
      // No thread has ever loaded: the code itself does not start, so waiting longer is pointless.
      if (this.readyThreads.size === 0) this.releaseReadyWaiters();
    });
  }

  /**
   * Resolves once every thread has loaded its code, or after `timeoutMs` regardless, with
   * how many threads are ready (0: the worker code does not start at all).
   */
  ready(timeoutMs: number): Promise<number> {
    if (this.readyThreads.size >= this.threads) return Promise.resolve(this.readyThreads.size);
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
    return this.piscina.run(task);
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
    const live = new Set(this.piscina.threads.map((worker) => worker.threadId));
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

  /** Busy share of the pool's capacity, 0..1, as Piscina measures it. */
  get utilization(): number {
    return this.piscina.utilization;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.control.close();
    this.events.close();
    await this.piscina.destroy();
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
