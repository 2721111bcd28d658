/**
 * One deadline for one network step: the caller's signal (call timeout, patience, Ctrl-C)
 * joined with the step's own limit (turnTimeoutMs). When the step fails we must say *which*
 * one fired, because a turn over its limit is `timeout` while a cancelled call keeps the
 * reason its canceller gave.
 */
import { CallError } from '../errors.js';

export interface Deadline {
  readonly signal: AbortSignal;
  /** The error to throw instead of whatever the transport threw, if a limit fired. */
  reason(): CallError | undefined;
  clear(): void;
}

export function deadline(outer: AbortSignal, limitMs: number, what: string): Deadline {
  const own = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    own.abort(new CallError('timeout', `${what}: no complete reply within ${limitMs} ms`));
  }, limitMs);
  const onOuter = (): void => own.abort(outer.reason);
  if (outer.aborted) onOuter();
  else outer.addEventListener('abort', onOuter, { once: true });
  return {
    signal: own.signal,
    reason() {
      if (timedOut) return own.signal.reason as CallError;
      if (outer.aborted) return abortReason(outer, what);
      return undefined;
    },
    clear() {
      clearTimeout(timer);
      outer.removeEventListener('abort', onOuter);
    },
  };
}

/** The CallError for a cancelled step: the canceller's own CallError, or `aborted`. */
export function abortReason(signal: AbortSignal, what: string): CallError {
  const reason: unknown = signal.reason;
  if (reason instanceof CallError) return reason;
  return new CallError('aborted', `${what}: cancelled${reason instanceof Error ? ` (${reason.message})` : ''}`);
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it aborts (the work
 * itself goes on; the caller decides what to do with its late result).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal, what));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal, what));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
