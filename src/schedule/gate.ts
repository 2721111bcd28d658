/**
 * The concurrency gate: never more than `concurrency` calls active at once.
 *
 * An arrival that finds every line busy waits in a FIFO queue. It waits at most
 * `queueMaxWaitMs` counted from its due time; past that it is dropped and reported
 * through `onDrop` (never silently lost). Because arrivals enter in due-time order, the
 * queue's head always has the earliest deadline, so one timer for the head is enough.
 */
import { realClock, type Clock } from './clock.js';

export interface GateOptions<T> {
  readonly concurrency: number;
  readonly queueMaxWaitMs: number;
  /**
   * Starts an item that got a line; the line is freed when the returned promise settles.
   * `waitedMs` is the time since its due time.
   */
  readonly onStart: (item: T, dueAtMs: number, waitedMs: number) => Promise<unknown>;
  /** An item that waited too long, or that was still queued when the gate closed. */
  readonly onDrop: (item: T, dueAtMs: number, waitedMs: number, reason: 'queue_timeout' | 'closed') => void;
  readonly clock?: Clock;
}

interface Waiting<T> {
  readonly item: T;
  readonly dueAtMs: number;
}

export class Gate<T> {
  private readonly clock: Clock;
  private readonly queue: Waiting<T>[] = [];
  /** Index of the queue's head; the array is compacted now and then instead of shift()ing. */
  private head = 0;
  private activeCount = 0;
  private peak = 0;
  private expiryTimer: unknown;
  /** The queue entry the expiry timer is set for; re-arming is skipped while it is still the head. */
  private armedFor: Waiting<T> | undefined;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: GateOptions<T>) {
    if (!(options.concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
    this.clock = options.clock ?? realClock;
  }

  get active(): number {
    return this.activeCount;
  }

  get peakActive(): number {
    return this.peak;
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Offers an arrival: it starts now, waits in the queue, or (gate closed) is dropped. */
  submit(item: T, dueAtMs: number): void {
    if (this.closed) {
      this.options.onDrop(item, dueAtMs, Math.max(0, this.clock.now() - dueAtMs), 'closed');
      return;
    }
    if (this.activeCount < this.options.concurrency && this.queued === 0) {
      this.startItem(item, dueAtMs);
      return;
    }
    this.queue.push({ item, dueAtMs });
    if (this.queued === 1) this.armExpiry();
  }

  /** Drops everything still queued (reason `closed`) and refuses new arrivals. */
  close(): void {
    this.closed = true;
    this.disarmExpiry();
    const now = this.clock.now();
    while (this.queued > 0) {
      const waiting = this.takeHead();
      this.options.onDrop(waiting.item, waiting.dueAtMs, Math.max(0, now - waiting.dueAtMs), 'closed');
    }
    this.notifyIfIdle();
  }

  /** Resolves once no call is active and none is queued. */
  whenIdle(): Promise<void> {
    if (this.activeCount === 0 && this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private startItem(item: T, dueAtMs: number): void {
    this.activeCount++;
    if (this.activeCount > this.peak) this.peak = this.activeCount;
    let running: Promise<unknown>;
    try {
      running = this.options.onStart(item, dueAtMs, Math.max(0, this.clock.now() - dueAtMs));
    } catch (error) {
      running = Promise.reject(error);
    }
    // The gate only counts lines; what failed is the caller's to record.
    running.then(this.release, this.release);
  }

  private readonly release = (): void => {
    this.activeCount--;
    this.expireOverdue();
    while (this.activeCount < this.options.concurrency && this.queued > 0) {
      const waiting = this.takeHead();
      this.startItem(waiting.item, waiting.dueAtMs);
    }
    this.armExpiry();
    this.notifyIfIdle();
  };

  private takeHead(): Waiting<T> {
    const waiting = this.queue[this.head]!;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return waiting;
  }

  private expireOverdue(): void {
    const now = this.clock.now();
    while (this.queued > 0) {
      const waiting = this.queue[this.head]!;
      const waitedMs = now - waiting.dueAtMs;
      if (waitedMs < this.options.queueMaxWaitMs) break;
      this.takeHead();
      this.options.onDrop(waiting.item, waiting.dueAtMs, waitedMs, 'queue_timeout');
    }
  }

  private armExpiry(): void {
    const head = this.queued > 0 && !this.closed ? this.queue[this.head] : undefined;
    if (head !== undefined && head === this.armedFor && this.expiryTimer !== undefined) return;
    this.disarmExpiry();
    if (head === undefined) return;
    this.armedFor = head;
    const delayMs = Math.max(0, head.dueAtMs + this.options.queueMaxWaitMs - this.clock.now());
    this.expiryTimer = this.clock.setTimeout(this.onExpiry, delayMs);
  }

  private disarmExpiry(): void {
    if (this.expiryTimer !== undefined) this.clock.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    this.armedFor = undefined;
  }

  private readonly onExpiry = (): void => {
    this.expiryTimer = undefined;
    this.armedFor = undefined;
    this.expireOverdue();
    this.armExpiry();
    this.notifyIfIdle();
  };

  private notifyIfIdle(): void {
    if (this.activeCount !== 0 || this.queued !== 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
