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
import { createLlmSharedState, SLOT_TOKENS, viewLlmSharedState } from '../../src/llm/shared-state.js';
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
  const signal = new AbortController().signal;
  const jobs = [];
  for (let i = 0; i < workerData.requests; i++) {
    jobs.push(workerData.judge
      ? judgeCall({ judge: { rubric: ['polite'], model: 'gpt-4o-mini' }, transcript: [{ speaker: 'agent', text: 'Hello' }], runtime, meter: new UsageMeter(), signal })
      : chat(runtime, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, expectedOutputTokens: 10 }, signal));
  }
  await Promise.all(jobs);
  parentPort.postMessage('done');
})().catch((error) => parentPort.postMessage('failed: ' + (error && error.message)));
`;

let server: OpenAiTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function specFor(baseURL: string, llm: SpecOptions['llm']) {
  return llmSpec({ llm: { baseURL, apiKey: 'sk-threads-test', ...llm }, judge: { rubric: ['polite'], model: 'gpt-4o-mini' } });
}

/** Runs `threads` workers, each sending `requests` at once; resolves when all are answered. */
async function runThreads(options: { threads: number; requests: number; judge: boolean; llm: SpecOptions['llm']; shared: (index: number) => SharedArrayBuffer | undefined }): Promise<string[]> {
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
    return await Promise.all(workers.map((worker) => new Promise<string>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    })));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

describe('LLM limits shared across worker threads', () => {
  it('requestsPerMinute spaces requests from every thread together', async () => {
    server = await startOpenAiServer();
    // 240/min: one request per 250 ms after a burst of 4 (one second's worth).
    const shared = createLlmSharedState(specFor(server.baseURL, {}));
    expect(await runThreads({ threads: 3, requests: 6, judge: false, llm: { requestsPerMinute: 240 }, shared: () => shared })).toEqual(['done', 'done', 'done']);
    const arrivals = server.received.map((request) => request.atMs).sort((a, b) => a - b);
    expect(arrivals).toHaveLength(18);
    // GCRA: n requests span at least (n - burst) intervals. The slack covers a cold
    // thread's first request reaching the server late (new connection, first JIT).
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual((18 - 4) * 250 - 200);
    for (let i = 0; i + 8 < arrivals.length; i++) expect(arrivals[i + 8]! - arrivals[i]!).toBeGreaterThanOrEqual(4 * 250 - 200);
  });

  it('without a shared buffer each thread limits only itself (the control case)', async () => {
    server = await startOpenAiServer();
    expect(await runThreads({ threads: 3, requests: 6, judge: false, llm: { requestsPerMinute: 240 }, shared: () => undefined })).toEqual(['done', 'done', 'done']);
    // Each thread: a burst of 4, then 2 more 250 ms apart — nowhere near the shared 3.5 s.
    const arrivals = server.received.map((request) => request.atMs).sort((a, b) => a - b);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeLessThan((18 - 4) * 250 - 200);
  });

  it('judgeConcurrency holds across threads', async () => {
    server = await startOpenAiServer();
    server.inject({ delayMs: 120 }, { times: 9 });
    let peak = 0;
    const watcher = setInterval(() => {
      peak = Math.max(peak, server!.received.filter((request) => request.status === 0).length);
    }, 5);
    const shared = createLlmSharedState(specFor(server.baseURL, {}));
    const results = await runThreads({ threads: 3, requests: 3, judge: true, llm: { judgeConcurrency: 2 }, shared: () => shared });
    clearInterval(watcher);
    expect(results).toEqual(['done', 'done', 'done']);
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
    await new Promise((resolve) => setTimeout(resolve, 100));
    await Promise.all([pending, chat(second, request, signal)]);
    const [refused, ...answered] = server.received;
    expect(refused?.status).toBe(429);
    for (const entry of answered) expect(entry.atMs - refused!.atMs).toBeGreaterThanOrEqual(390);
  });

  it('tokens are reserved on the estimate and corrected to what was billed', () => {
    const view = viewLlmSharedState(new SharedArrayBuffer(32));
    // 60,000 tokens/min: one token per millisecond.
    const limiter = new RateLimiter(view, { tokensPerMinute: 60_000 });
    const before = Date.now() * 1000;
    return limiter.acquire(500).then((reservation) => {
      const reserved = Number(Atomics.load(view.clocks, SLOT_TOKENS));
      expect(reserved - before).toBeGreaterThanOrEqual(500_000 - 5_000);
      limiter.settleTokens(reservation, 120);
      expect(Number(Atomics.load(view.clocks, SLOT_TOKENS))).toBe(reserved - 380_000);
      limiter.cancel({ estimatedTokens: 120 });
      expect(Number(Atomics.load(view.clocks, SLOT_TOKENS))).toBe(reserved - 500_000);
    });
  });

  it('no LLM in the spec, no shared buffer', () => {
    const spec = llmSpec();
    expect(createLlmSharedState({ ...spec, scenarios: [{ ...spec.scenarios[0]!, caller: 'scripted' }] })).toBeUndefined();
    expect(createLlmSharedState(spec)?.byteLength).toBe(32);
  });
});
