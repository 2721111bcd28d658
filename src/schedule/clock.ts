/**
 * The time source of the real-time scheduling pieces (ticker, gate). Production uses the
 * wall clock with sub-ms precision; tests of the pure scheduling math pass `fakeableClock`,
 * whose `now` is `Date.now`, so vitest's fake timers control both time and timers.
 */
import { nowMs } from '../drivers/types.js';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Next event-loop turn; used only in the last moment before a due time. */
  setImmediate(callback: () => void): unknown;
  clearImmediate(handle: unknown): void;
}

function clockWith(now: () => number): Clock {
  // Timers are looked up at call time so fake timers installed after import still apply.
  return {
    now,
    setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    setImmediate: (callback) => setImmediate(callback),
    clearImmediate: (handle) => clearImmediate(handle as NodeJS.Immediate),
  };
}

export const realClock: Clock = clockWith(nowMs);
export const fakeableClock: Clock = clockWith(() => Date.now());
