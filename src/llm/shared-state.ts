/**
 * The few words of memory every worker thread shares for LLM limits, so requests per
 * minute, tokens per minute and judge concurrency hold for the whole run, not per thread.
 *
 * Layout (one SharedArrayBuffer, 32 + 8 × judgeConcurrency bytes):
 *   BigInt64 [0]  requests limiter: theoretical arrival time, epoch µs (GCRA)
 *   BigInt64 [1]  tokens limiter:   theoretical arrival time, epoch µs
 *   BigInt64 [2]  paused until, epoch µs (a provider 429 pauses every thread)
 *   Int32    [6]  judge permits: release counter, waited on with Atomics.waitAsync
 *   BigInt64 [4…] one judge permit each: its lease's expiry, epoch µs (0 = free)
 *
 * The main thread allocates it (createLlmSharedState) and hands it to every worker in
 * WorkerInit.shared; a worker given none makes its own, and the limits are then per thread.
 */
import type { Spec } from '../spec/types.js';

export const SLOT_REQUESTS = 0;
export const SLOT_TOKENS = 1;
export const SLOT_PAUSED = 2;
export const INT32_JUDGE_RELEASES = 6;
const HEADER_BYTES = 32;
const DEFAULT_JUDGE_CONCURRENCY = 4;

export interface LlmSharedView {
  readonly buffer: SharedArrayBuffer;
  readonly clocks: BigInt64Array;
  readonly counters: Int32Array;
  /** One lease per judge permit. */
  readonly judgeLeases: BigInt64Array;
}

/** True when some scenario asks a model for something: an LLM caller or a judge. */
export function specUsesLlm(spec: Spec): boolean {
  return spec.scenarios.some((scenario) => scenario.caller === 'llm' || scenario.judge !== undefined);
}

export function judgeConcurrencyOf(spec: Spec): number {
  return spec.llm?.judgeConcurrency ?? DEFAULT_JUDGE_CONCURRENCY;
}

export function sharedBytes(judgeConcurrency: number): number {
  return HEADER_BYTES + 8 * judgeConcurrency;
}

/** The buffer to pass as WorkerInit.shared, or undefined when the spec uses no LLM. */
export function createLlmSharedState(spec: Spec): SharedArrayBuffer | undefined {
  return specUsesLlm(spec) ? new SharedArrayBuffer(sharedBytes(judgeConcurrencyOf(spec))) : undefined;
}

/** Views over a shared buffer; without one, a private buffer (limits for this thread only). */
export function viewLlmSharedState(spec: Spec, buffer?: SharedArrayBuffer): LlmSharedView {
  const judgeConcurrency = judgeConcurrencyOf(spec);
  const shared = buffer ?? new SharedArrayBuffer(sharedBytes(judgeConcurrency));
  if (shared.byteLength !== sharedBytes(judgeConcurrency)) {
    throw new RangeError(`LLM shared state for ${judgeConcurrency} judges needs ${sharedBytes(judgeConcurrency)} bytes, got ${shared.byteLength}`);
  }
  return {
    buffer: shared,
    clocks: new BigInt64Array(shared, 0, 3),
    counters: new Int32Array(shared, 0, HEADER_BYTES / 4),
    judgeLeases: new BigInt64Array(shared, HEADER_BYTES, judgeConcurrency),
  };
}

/** Epoch microseconds, comparable across threads of one process. */
export function nowUs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}
