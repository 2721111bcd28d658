/**
 * The worker thread: Piscina loads this file (compiled, from dist/) once per thread and
 * calls the default export for every call task, many at a time (concurrentTasksPerWorker).
 *
 * Besides running calls it:
 * - listens on the control channel: `cancel` / `cancel-all` abort calls through their own
 *   AbortControllers (never Piscina's abort, which would terminate the whole thread and
 *   every other call on it), `flush` ships every metric and answers `flushed`;
 * - ships its metrics to the main thread every interval on the metrics channel;
 * - tells the main thread it is `ready` once loaded, so the run's clock starts with warm
 *   threads instead of counting thread start-up as queue wait.
 */
import { BroadcastChannel, threadId, workerData } from 'node:worker_threads';
import { CallError } from '../errors.js';
import { createDriver } from '../drivers/index.js';
import type { Driver } from '../drivers/types.js';
import { WorkerMetrics } from '../metrics/worker-metrics.js';
import type { CallOutcome } from '../results/types.js';
import { runCall } from './call-runner.js';
import type { CallTask, ControlMessage, WorkerEvent, WorkerInit } from './protocol.js';
import { crashHookFor } from './test-hooks.js';

const init = workerData as WorkerInit;
const control = new BroadcastChannel(init.controlChannel);
const events = new BroadcastChannel(init.metricsChannel);
const metrics = new WorkerMetrics({ runStartMs: init.runStartMs, intervalMs: init.intervalMs });
const drivers = new Map<number, Driver>();
const inFlight = new Map<number, AbortController>();
const crashHook = crashHookFor(process.env);

function post(event: WorkerEvent): void {
  events.postMessage(event);
}

function ship(all: boolean): void {
  const intervals = metrics.drain(all);
  if (intervals.length > 0) post({ type: 'metrics', threadId, intervals });
}

function driverFor(variantIndex: number): Driver {
  let driver = drivers.get(variantIndex);
  if (!driver) {
    driver = createDriver(init.spec.variants[variantIndex]?.target ?? init.spec.target);
    drivers.set(variantIndex, driver);
  }
  return driver;
}

control.onmessage = (event: unknown) => {
  const message = (event as { data: ControlMessage }).data;
  switch (message.type) {
    case 'cancel': {
      const reason = message.reason === 'timeout' ? new CallError('timeout', 'the run timed the call out') : new CallError('aborted', 'the run stopped and hung up the call');
      inFlight.get(message.callIndex)?.abort(reason);
      break;
    }
    case 'cancel-all':
      for (const controller of inFlight.values()) controller.abort(new CallError('aborted', `the run stopped (${message.reason}) and hung up the call`));
      break;
    case 'flush':
      ship(true);
      post({ type: 'flushed', threadId, requestId: message.requestId });
      break;
  }
};

// The interval timer must not keep a finished worker alive; Piscina owns the thread's life.
setInterval(() => ship(false), init.intervalMs).unref();
control.unref();
events.unref();

const deps = { spec: init.spec, driverFor, metrics, threadId, ...(init.shared ? { shared: init.shared } : {}) };

export default async function runTask(task: CallTask): Promise<CallOutcome> {
  crashHook?.(task.job.index);
  const controller = new AbortController();
  inFlight.set(task.job.index, controller);
  try {
    return await runCall(task.job, task.dueAtMs, deps, controller);
  } finally {
    inFlight.delete(task.job.index);
  }
}

post({ type: 'ready', threadId });
