/**
 * The pacing ticker: fires each planned arrival at its due time.
 *
 * Due times are absolute (run start + the job's `dueOffsetMs`, computed by the plan from
 * the phase arithmetic), never "previous firing + gap", so timer lateness never
 * accumulates: the 6000th arrival is as close to its due time as the first.
 *
 * It does not busy-wait: it sleeps with one setTimeout until shortly before the next due
 * time and only then, for the last ~2 ms, yields with setImmediate until the due time
 * passes (setTimeout alone is routinely 1-2 ms late, and on a busy machine a timer may wake
 * a little early, then once more late). That last-moment yielding is only done after a
 * long sleep (gaps of 20 ms and more, i.e. up to ~50 calls/s), so it costs at most ~10% of
 * a core and far less at low rates; at higher rates arrivals are a few milliseconds apart,
 * timers alone are accurate to about a millisecond, and yielding would keep a core busy.
 * A wakeup fires every arrival that is due, so bursts (1000+/s, or many arrivals with the
 * same offset) cost one wakeup.
 *
 * Jobs are pulled from the iterator one at a time, so a lazy plan of a million calls
 * never sits in memory.
 */
import { realClock, type Clock } from './clock.js';

/** How long before a due time the ticker stops sleeping and yields instead. */
export const DEFAULT_SPIN_MS = 2;
/** Only a sleep at least this long earns yielding through the last moment before a due time. */
const YIELD_AFTER_SLEEP_MS = 18;

export interface TimedJob {
  readonly dueOffsetMs: number;
}

export type TickerEnd = 'exhausted' | 'stopped';

export interface TickerOptions<T extends TimedJob> {
  readonly jobs: Iterable<T>;
  /** Epoch ms the offsets count from. */
  readonly startMs: number;
  /** Called synchronously at (or just after) each job's due time; `firedAtMs` is the clock then. */
  readonly onArrival: (job: T, dueAtMs: number, firedAtMs: number) => void;
  readonly clock?: Clock;
  /** How long before a due time to switch from sleeping to yielding; 0 turns it off. */
  readonly spinMs?: number;
}

export class Ticker<T extends TimedJob> {
  private readonly iterator: Iterator<T>;
  private readonly clock: Clock;
  private readonly spinMs: number;
  private next: T | undefined;
  private timer: unknown;
  private immediate: unknown;
  private endedWith: TickerEnd | undefined;
  private resolveDone!: (end: TickerEnd) => void;
  private firedCount = 0;
  /** Set when the ticker slept long enough that yielding for the last moment is cheap. */
  private mayYield = false;
  /** Resolves when every job has fired, or when the ticker was stopped. */
  readonly done: Promise<TickerEnd>;

  constructor(private readonly options: TickerOptions<T>) {
    this.iterator = options.jobs[Symbol.iterator]();
    this.clock = options.clock ?? realClock;
    this.spinMs = options.spinMs ?? DEFAULT_SPIN_MS;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get fired(): number {
    return this.firedCount;
  }

  /** When the next arrival is due (epoch ms); Infinity when none is left. */
  get nextDueAtMs(): number {
    return this.next === undefined || this.endedWith !== undefined ? Number.POSITIVE_INFINITY : this.options.startMs + this.next.dueOffsetMs;
  }

  get running(): boolean {
    return this.endedWith === undefined;
  }

  start(): void {
    this.pull();
    this.wake();
  }

  /** Stops firing; arrivals not yet due never fire. Safe to call more than once. */
  stop(): void {
    this.clearTimers();
    this.end('stopped');
  }

  private pull(): void {
    const step = this.iterator.next();
    this.next = step.done ? undefined : step.value;
  }

  private readonly wake = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.endedWith) return;
    let now = this.clock.now();
    while (this.next !== undefined) {
      const dueAtMs = this.options.startMs + this.next.dueOffsetMs;
      if (dueAtMs > now) break;
      const job = this.next;
      this.pull();
      this.firedCount++;
      this.mayYield = false;
      this.options.onArrival(job, dueAtMs, now);
      if (this.endedWith) return; // onArrival may stop the run
      now = this.clock.now();
    }
    if (this.next === undefined) {
      this.end('exhausted');
      return;
    }
    const waitMs = this.options.startMs + this.next.dueOffsetMs - now;
    if (waitMs > this.spinMs) {
      const sleepMs = waitMs - this.spinMs;
      // A timer that woke a little early for the same due time keeps the right to yield:
      // without it the last millisecond would be one more (coarse) timer.
      this.mayYield = this.spinMs > 0 && (this.mayYield || sleepMs >= YIELD_AFTER_SLEEP_MS);
      this.timer = this.clock.setTimeout(this.wake, this.mayYield ? sleepMs : waitMs);
    } else if (this.mayYield) {
      this.immediate = this.clock.setImmediate(this.wake);
    } else {
      this.timer = this.clock.setTimeout(this.wake, waitMs);
    }
  };

  private clearTimers(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    if (this.immediate !== undefined) this.clock.clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private end(reason: TickerEnd): void {
    if (this.endedWith) return;
    this.endedWith = reason;
    this.resolveDone(reason);
  }
}
