/**
 * The LLM limits hold across real worker threads: each thread has its own runtime (client,
 * limiter, semaphore) over one SharedArrayBuffer, as the pool's workers do.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/llm/rate-limiter.js';
import { createLlmRuntime } from '../../src/llm/runtime.js';
import { chat } from '../../src/llm/request.js';
import { createLlmSharedState, SLOT_PAUSED, SLOT_TOKENS, viewLlmSharedState } from '../../src/llm/shared-state.js';
import { startOpenAiServer, type OpenAiTestServer } from '../support/openai-server.js';
import { llmSpec, type SpecOptions } from './fixtures.js';

const DIST = path.resolve(import.meta.dirname, '../../dist');
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  const { createLlmRuntime } = await import(workerData.runtimeUrl);
  const { chat } = await import(workerData.requestUrl);
  const { judgeCall } = await import(workerData.judgeUrl);
  const { UsageMeter } = await import(workerData.usageUrl);
  const runtime = createLlmRuntime(workerData.spec, workerData.shared, {});
  // When the caps let each request go (the limiter's schedule, immune to this thread being
  // descheduled after it wakes), and that it never woke before that time.
  const released = [];
  let early = 0;
  const acquire = runtime.limiter.acquire.bind(runtime.limiter);
  const waitedMs = [];
  runtime.limiter.acquire = async (...args) => {
    const askedAt = performance.now();
    const reservation = await acquire(...args);
    const wokeAtMs = performance.timeOrigin + performance.now();
    const readyAtMs = Number(reservation.readyAtUs) / 1000;
    if (wokeAtMs < readyAtMs - 1) early++;
    released.push(readyAtMs);
    waitedMs.push(performance.now() - askedAt);
    return reservation;
  };
  const signal = new AbortController().signal;
  const jobs = [];
  for (let i = 0; i < workerData.requests; i++) {
    jobs.push(workerData.judge
      ? judgeCall({ judge: { rubric: ['polite'], model: 'gpt-4o-mini' }, transcript: [{ speaker: 'agent', text: 'Hello' }], runtime, meter: new UsageMeter(), signal })
      : chat(runtime, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, expectedOutputTokens: 10 }, signal));
  }
  await Promise.all(jobs);
  parentPort.postMessage({ status: early === 0 ? 'done' : early + ' woke early', released, waitedMs });
})().catch((error) => parentPort.postMessage({ status: 'failed: ' + (error && error.message), released: [], waitedMs: [] }));
`;

let server: OpenAiTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function specFor(baseURL: string, llm: SpecOptions['llm']) {
  return llmSpec({ llm: { baseURL, apiKey: 'sk-threads-test', requestTimeoutMs: 20_000, ...llm }, judge: { rubric: ['polite'], model: 'gpt-4o-mini' } });
}

interface ThreadsResult {
  readonly statuses: string[];
  /** When the limiter let each request go, in every thread, sorted. */
  readonly released: number[];
  /** How long each acquire waited, per thread. */
  readonly waitedMs: number[][];
}

/** Runs `threads` workers, each sending `requests` at once; resolves when all are answered. */
async function runThreads(options: { threads: number; requests: number; judge: boolean; llm: SpecOptions['llm']; shared: (index: number) => SharedArrayBuffer | undefined }): Promise<ThreadsResult> {
  const spec = specFor(server!.baseURL, options.llm);
  const url = (file: string): string => pathToFileURL(path.join(DIST, file)).href;
  const workers = Array.from(
    { length: options.threads },
    (_, index) =>
      new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { spec, shared: options.shared(index), requests: options.requests, judge: options.judge, runtimeUrl: url('llm/runtime.js'), requestUrl: url('llm/request.js'), judgeUrl: url('checks/judge.js'), usageUrl: url('llm/usage.js') },
      }),
  );
  try {
    const results = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<{ status: string; released: number[]; waitedMs: number[] }>((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    return {
      statuses: results.map((result) => result.status),
      released: results.flatMap((result) => result.released).sort((a, b) => a - b),
      waitedMs: results.map((result) => result.waitedMs),
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

describe('LLM limits shared across worker threads', () => {
  it('requestsPerMinute spaces requests from every thread together', async () => {
    server = await startOpenAiServer();
    // 240/min: one request per 250 ms after a burst of 4 (one second's worth).
    const shared = createLlmSharedState(specFor(server.baseURL, {}));
    const { statuses, released } = await runThreads({ threads: 3, requests: 6, judge: false, llm: { requestsPerMinute: 240 }, shared: () => shared });
    expect(statuses.join(' / ')).toBe('done / done / done');
    expect(server.ledger.requests).toBe(18);
    expect(released).toHaveLength(18);
    // GCRA: n requests span at least (n - burst) intervals, whichever thread sent them.
    expect(released.at(-1)! - released[0]!).toBeGreaterThanOrEqual((18 - 4) * 250 - 5);
    for (let i = 0; i + 8 < released.length; i++) expect(released[i + 8]! - released[i]!).toBeGreaterThanOrEqual(4 * 250 - 5);
  });

  it('without a shared buffer each thread limits only itself (the control case)', async () => {
    server = await startOpenAiServer();
    const { statuses, waitedMs } = await runThreads({ threads: 3, requests: 6, judge: false, llm: { requestsPerMinute: 240 }, shared: () => undefined });
    expect(statuses.join(' / ')).toBe('done / done / done');
    // Every thread gets its own burst of 4 at once: 12 in all, three times the cap's burst.
    for (const waits of waitedMs) expect(waits.filter((ms) => ms < 200)).toHaveLength(4);
  });

  it('judgeConcurrency holds across threads', async () => {
    server = await startOpenAiServer();
    server.inject({ delayMs: 120 }, { times: 9 });
    let peak = 0;
    const watcher = setInterval(() => {
      peak = Math.max(peak, server!.received.filter((request) => request.status === 0).length);
    }, 5);
    const shared = createLlmSharedState(specFor(server.baseURL, {}));
    const { statuses } = await runThreads({ threads: 3, requests: 3, judge: true, llm: { judgeConcurrency: 2 }, shared: () => shared });
    clearInterval(watcher);
    expect(statuses.join(' / ')).toBe('done / done / done');
    expect(server.ledger.byKind.judge.requests).toBe(9);
    expect(peak).toBe(2);
  });
});

describe('shared limiter state', () => {
  it('a 429 seen by one runtime holds the next request of another', async () => {
    server = await startOpenAiServer();
    const spec = specFor(server.baseURL, {});
    const shared = createLlmSharedState(spec);
    const [first, second] = [createLlmRuntime(spec, shared, {}), createLlmRuntime(spec, shared, {})];
    server.inject({ status: 429, headers: { 'retry-after-ms': '400' } });
    const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }], stream: false, expectedOutputTokens: 10 };
    const signal = new AbortController().signal;
    const pending = chat(first, request, signal);
    // The second runtime asks only once the first has seen the 429 and paused the threads.
    const clocks = viewLlmSharedState(spec, shared).clocks;
    while (Atomics.load(clocks, SLOT_PAUSED) === 0n) await new Promise((resolve) => setTimeout(resolve, 2));
    await Promise.all([pending, chat(second, request, signal)]);
    const [refused, ...answered] = server.received;
    expect(refused?.status).toBe(429);
    for (const entry of answered) expect(entry.atMs - refused!.atMs).toBeGreaterThanOrEqual(390);
  });

  it('tokens are reserved on the estimate and corrected to what was billed', () => {
    const view = viewLlmSharedState(llmSpec());
    // 60,000 tokens/min: one token per millisecond.
    const limiter = new RateLimiter(view, { tokensPerMinute: 60_000 });
    const before = Date.now() * 1000;
    return limiter.acquire(500).then((reservation) => {
      const reserved = Number(Atomics.load(view.clocks, SLOT_TOKENS));
      expect(reserved - before).toBeGreaterThanOrEqual(500_000 - 5_000);
      limiter.settleTokens(reservation, 120);
      expect(Number(Atomics.load(view.clocks, SLOT_TOKENS))).toBe(reserved - 380_000);
      limiter.cancel({ ...reservation, estimatedTokens: 120 });
      expect(Number(Atomics.load(view.clocks, SLOT_TOKENS))).toBe(reserved - 500_000);
    });
  });

  it('no LLM in the spec, no shared buffer', () => {
    const spec = llmSpec();
    expect(createLlmSharedState({ ...spec, scenarios: [{ ...spec.scenarios[0]!, caller: 'scripted' }] })).toBeUndefined();
    expect(createLlmSharedState(spec)?.byteLength).toBe(32 + 8 * 2);
  });
});
