/**
 * The few words of memory every worker thread shares for LLM limits, so requests per
 * minute, tokens per minute and judge concurrency hold for the whole run, not per thread.
 *
 * Layout (one SharedArrayBuffer, 32 bytes):
 *   BigInt64 [0]  requests limiter: theoretical arrival time, epoch µs (GCRA)
 *   BigInt64 [1]  tokens limiter:   theoretical arrival time, epoch µs
 *   BigInt64 [2]  paused until, epoch µs (a provider 429 pauses every thread)
 *   Int32    [6]  judge requests in flight (counting semaphore)
 *
 * The main thread allocates it (createLlmSharedState) and hands it to every worker in
 * WorkerInit.shared; a worker given none makes its own, and the limits are then per thread.
 */
import type { Spec } from '../spec/types.js';

export const SHARED_BYTES = 32;
export const SLOT_REQUESTS = 0;
export const SLOT_TOKENS = 1;
export const SLOT_PAUSED = 2;
export const INT32_JUDGES = 6;

export interface LlmSharedView {
  readonly buffer: SharedArrayBuffer;
  readonly clocks: BigInt64Array;
  readonly counters: Int32Array;
}

/** True when some scenario asks a model for something: an LLM caller or a judge. */
export function specUsesLlm(spec: Spec): boolean {
  return spec.scenarios.some((scenario) => scenario.caller === 'llm' || scenario.judge !== undefined);
}

/** The buffer to pass as WorkerInit.shared, or undefined when the spec uses no LLM. */
export function createLlmSharedState(spec: Spec): SharedArrayBuffer | undefined {
  return specUsesLlm(spec) ? new SharedArrayBuffer(SHARED_BYTES) : undefined;
}

export function viewLlmSharedState(buffer: SharedArrayBuffer = new SharedArrayBuffer(SHARED_BYTES)): LlmSharedView {
  if (buffer.byteLength < SHARED_BYTES) throw new RangeError(`LLM shared state needs ${SHARED_BYTES} bytes, got ${buffer.byteLength}`);
  return { buffer, clocks: new BigInt64Array(buffer, 0, 3), counters: new Int32Array(buffer, 0, SHARED_BYTES / 4) };
}

/** Epoch microseconds, comparable across threads of one process. */
export function nowUs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}
