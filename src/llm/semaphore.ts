/**
 * A counting semaphore in shared memory: at most `limit` holders across every worker
 * thread. Used to judge calls with lower concurrency than they are placed.
 *
 * Waiting uses Atomics.waitAsync, which parks the waiter without blocking the worker's
 * event loop (other calls keep running) and wakes it on release. Waits are capped at a
 * second and retried, so a notify lost to a race only costs latency, never a hang; a
 * timer alongside keeps the worker alive meanwhile (a bare waitAsync does not).
 */
const WAIT_SLICE_MS = 1000;

type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs?: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export class SharedSemaphore {
  readonly #counters: Int32Array;
  readonly #index: number;
  readonly #limit: number;

  constructor(counters: Int32Array, index: number, limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be a positive integer, got ${limit}`);
    this.#counters = counters;
    this.#index = index;
    this.#limit = limit;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const held = Atomics.load(this.#counters, this.#index);
      if (held < this.#limit) {
        if (Atomics.compareExchange(this.#counters, this.#index, held, held + 1) === held) return;
        continue;
      }
      const wait = waitAsync(this.#counters, this.#index, held, WAIT_SLICE_MS);
      if (!wait.async) continue;
      // A pending waitAsync does not keep a worker's event loop alive; the timer does.
      let keepAlive: NodeJS.Timeout | undefined;
      const slice = new Promise<string>((resolve) => {
        keepAlive = setTimeout(resolve, WAIT_SLICE_MS, 'timed-out');
      });
      try {
        await raceAbort(Promise.race([wait.value as Promise<string>, slice]), signal);
      } finally {
        clearTimeout(keepAlive);
      }
    }
  }

  release(): void {
    Atomics.sub(this.#counters, this.#index, 1);
    Atomics.notify(this.#counters, this.#index, 1);
  }

  /** Runs `work` holding one permit. */
  async with<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await work();
    } finally {
      this.release();
    }
  }
}

function raceAbort(promise: Promise<string>, signal: AbortSignal | undefined): Promise<unknown> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
