/**
 * Retries for call errors the target may recover from (connect_refused, rate_limited,
 * llm_rate_limited: `retryable` in errors.ts).
 *
 * Backoff is exponential with full jitter (delay uniform in [0, min(max, base·2^(n-1)))),
 * which spreads a crowd of callers that failed together instead of having them retry in
 * lock-step. The jitter comes from the call's own seeded generator, so a rerun with the
 * same seed waits the same delays. When the server said how long to wait (Retry-After),
 * that wait is honoured as given: retrying sooner would only earn another 429.
 */
import { CallError } from '../errors.js';
import type { RetrySpec } from '../spec/types.js';
import { abortableSleep } from './sleep.js';

export interface RetryOptions {
  readonly policy: RetrySpec;
  /** Uniform in [0, 1): the call's seeded generator. */
  readonly random: () => number;
  readonly signal: AbortSignal;
  /** Called before each wait; `attempt` is the attempt that just failed (1-based). */
  readonly onRetry?: (error: CallError, delayMs: number, attempt: number) => void;
  /** Injected for tests of the arithmetic. */
  readonly sleep?: (delayMs: number, signal: AbortSignal) => Promise<void>;
}

/** The wait before the next attempt after `failedAttempt` (1-based) failed with `error`. */
export function retryDelayMs(policy: RetrySpec, failedAttempt: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return retryAfterMs;
  const ceilingMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return random() * ceilingMs;
}

/** Whether `error` may be retried, and the policy still allows another attempt. */
export function shouldRetry(error: unknown, failedAttempt: number, policy: RetrySpec): error is CallError {
  return error instanceof CallError && error.retryable && failedAttempt < policy.attempts;
}

/**
 * Runs `operation` until it succeeds, fails with a non-retryable error, or the policy's
 * attempts run out (then the last error is thrown). Cancellation during a wait throws the
 * signal's reason as a CallError.
 */
export async function withRetries<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!shouldRetry(error, attempt, options.policy) || options.signal.aborted) throw error;
      const delayMs = retryDelayMs(options.policy, attempt, options.random, error.retryAfterMs);
      options.onRetry?.(error, delayMs, attempt);
      await sleep(delayMs, options.signal);
    }
  }
}
