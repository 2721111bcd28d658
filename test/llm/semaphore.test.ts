/** The judge semaphore's leases, with a real worker thread as the other holder. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SharedSemaphore } from '../../src/llm/semaphore.js';
import { INT32_JUDGE_RELEASES, sharedBytes, viewLlmSharedState } from '../../src/llm/shared-state.js';
import { llmSpec } from './fixtures.js';

const LEASE_MS = 300;
const SPEC = llmSpec({ llm: { judgeConcurrency: 1 } });
const SEMAPHORE_URL = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/llm/semaphore.js')).href;
const STATE_URL = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/llm/shared-state.js')).href;

/** A worker that takes the one permit, says `held`, and releases it after `holdMs` (never, if undefined). */
function holder(buffer: SharedArrayBuffer, holdMs: number | undefined): { worker: Worker; held: Promise<void> } {
  const worker = new Worker(
    `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  const { SharedSemaphore } = await import(workerData.semaphoreUrl);
  const { INT32_JUDGE_RELEASES, viewLlmSharedState } = await import(workerData.stateUrl);
  const view = viewLlmSharedState(workerData.spec, workerData.buffer);
  const semaphore = new SharedSemaphore(view.judgeLeases, view.counters, INT32_JUDGE_RELEASES, workerData.leaseMs);
  const permit = await semaphore.acquire();
  parentPort.postMessage('held');
  if (workerData.holdMs === undefined) { setInterval(() => undefined, 60000); return; }
  setTimeout(() => semaphore.release(permit), workerData.holdMs);
})();
`,
    { eval: true, workerData: { spec: SPEC, buffer, holdMs, leaseMs: LEASE_MS, semaphoreUrl: SEMAPHORE_URL, stateUrl: STATE_URL } },
  );
  const held = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return { worker, held };
}

function oneJudge(): { buffer: SharedArrayBuffer; semaphore: SharedSemaphore } {
  const buffer = new SharedArrayBuffer(sharedBytes(1));
  const view = viewLlmSharedState(SPEC, buffer);
  return { buffer, semaphore: new SharedSemaphore(view.judgeLeases, view.counters, INT32_JUDGE_RELEASES, LEASE_MS) };
}

describe('shared judge semaphore', () => {
  it('a live holder keeps its permit past the lease by renewing it', async () => {
    const { buffer, semaphore } = oneJudge();
    const { worker, held } = holder(buffer, 3 * LEASE_MS);
    try {
      await held;
      const askedAt = performance.now();
      const permit = await semaphore.acquire();
      // Not before the holder released (at 3 leases), although the first lease ran out long before.
      expect(performance.now() - askedAt).toBeGreaterThanOrEqual(2 * LEASE_MS);
      expect(semaphore.held()).toBe(1);
      semaphore.release(permit);
      expect(semaphore.held()).toBe(0);
    } finally {
      await worker.terminate();
    }
  });

  it('a permit held by a thread that died frees itself when its lease runs out', async () => {
    const { buffer, semaphore } = oneJudge();
    const { worker, held } = holder(buffer, undefined);
    await held;
    await worker.terminate();
    expect(semaphore.held()).toBe(1);
    const permit = await semaphore.acquire();
    expect(semaphore.held()).toBe(1);
    semaphore.release(permit);
  });

  it('an abort stops the wait', async () => {
    const { semaphore } = oneJudge();
    const permit = await semaphore.acquire();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('hung up')), 50);
    await expect(semaphore.acquire(controller.signal)).rejects.toThrow('hung up');
    semaphore.release(permit);
    semaphore.release(await semaphore.acquire());
  });
});
