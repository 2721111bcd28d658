/**
 * The worker thread: Piscina (pool.ts) starts this file (compiled, from dist/) once per
 * thread and hands it one LaneTask, whose port then brings batches of call tasks; it runs
 * them many at a time, answering with the outcomes of the calls that ended, batched per
 * event-loop turn.
 *
 * Besides running calls it:
 * - listens on the control channel: `cancel` / `cancel-all` abort calls through their own
 *   AbortControllers (never by ending the thread, which would end every other call on it),
 *   `flush` ships every metric and answers `flushed`;
 * - ships its metrics to the main thread every interval on the metrics channel;
 * - tells the main thread it is `ready` once loaded, so the run's clock starts with warm
 *   threads instead of counting thread start-up as queue wait. Before that it creates the
 *   driver of every target and, for HTTP targets, warms the HTTP client (http-warm.ts), so
 *   the first call on a thread is not the one that pays for compiling it.
 */
import { BroadcastChannel, threadId, type MessagePort } from 'node:worker_threads';
import { workerData } from 'piscina';
import { CallError } from '../errors.js';
import { createDriver } from '../drivers/index.js';
import { warmHttpClient } from '../drivers/http-warm.js';
import type { Driver } from '../drivers/types.js';
import { WorkerMetrics } from '../metrics/worker-metrics.js';
import type { CallOutcome } from '../results/types.js';
import { runCall } from './call-runner.js';
import type { CallBatch, CallTask, ControlMessage, LaneHello, LaneTask, OutcomeBatch, TaskFailure, WorkerEvent, WorkerInit } from './protocol.js';
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

// The interval timer must not keep a finished worker alive; the pool owns the thread's life.
setInterval(() => ship(false), init.intervalMs).unref();
control.unref();
events.unref();

const deps = { spec: init.spec, driverFor, metrics, threadId, ...(init.shared ? { shared: init.shared } : {}) };

async function runTask(task: CallTask): Promise<CallOutcome> {
  crashHook?.(task.job.index);
  const controller = new AbortController();
  inFlight.set(task.job.index, controller);
  try {
    return await runCall(task.job, task.dueAtMs, deps, controller);
  } finally {
    inFlight.delete(task.job.index);
  }
}

let lane: MessagePort | undefined;
let outcomes: CallOutcome[] = [];
let failures: TaskFailure[] = [];
let answerScheduled = false;

/** Outcomes go back once per event-loop turn: calls that end together share a message. */
function answer(): void {
  answerScheduled = false;
  const batch: OutcomeBatch = { type: 'outcomes', outcomes, failures };
  outcomes = [];
  failures = [];
  lane?.postMessage(batch);
}

function scheduleAnswer(): void {
  if (answerScheduled) return;
  answerScheduled = true;
  setImmediate(answer);
}

function start(task: CallTask): void {
  runTask(task).then(
    (outcome) => {
      outcomes.push(outcome);
      scheduleAnswer();
    },
    (error: unknown) => {
      failures.push({ index: task.job.index, message: error instanceof Error ? error.message : String(error) });
      scheduleAnswer();
    },
  );
}

/** Piscina's task: serve the lane until the main thread closes its end. */
export default function serveLane(task: LaneTask): Promise<void> {
  lane = task.port;
  const hello: LaneHello = { type: 'hello', threadId };
  return new Promise((resolve) => {
    task.port.on('message', (batch: CallBatch) => {
      for (const call of batch.tasks) start(call);
    });
    task.port.once('close', () => resolve());
    task.port.postMessage(hello);
  });
}

init.spec.variants.forEach((_variant, index) => driverFor(index));
if (init.spec.target.driver === 'http' || init.spec.variants.some((variant) => variant.target.driver === 'http')) await warmHttpClient();

post({ type: 'ready', threadId });
