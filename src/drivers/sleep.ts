import { abortReason } from './deadline.js';

/**
 * Waits `delayMs` (Infinity: until cancelled). Zero waits without a timer, so zero-latency
 * sim runs measure loadspec, not timers. Cancellation rejects with the signal's CallError.
 */
export function abortableSleep(delayMs: number, signal: AbortSignal, what = 'waiting'): Promise<void> {
  if (signal.aborted) return Promise.reject(abortReason(signal, what));
  if (delayMs <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      reject(abortReason(signal, what));
    };
    const timer = Number.isFinite(delayMs)
      ? setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, delayMs)
      : undefined;
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
