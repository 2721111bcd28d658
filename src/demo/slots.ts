/**
 * The demo's "LLM slots": at most `capacity` turns are generated at once; the rest wait in
 * FIFO order. This is what gives the demo a knee: below capacity a turn takes the base
 * latency, above it the wait for a slot is added, as with a real model server.
 */
export class Slots {
  private busy = 0;
  private readonly waiting: { grant: () => void; signal: AbortSignal; onAbort: () => void }[] = [];

  constructor(private readonly capacity: number) {}

  get inUse(): number {
    return this.busy;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.busy < this.capacity) {
      this.busy++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const entry = {
        signal,
        grant: () => {
          signal.removeEventListener('abort', entry.onAbort);
          resolve(this.releaser());
        },
        onAbort: () => {
          const at = this.waiting.indexOf(entry);
          if (at !== -1) this.waiting.splice(at, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', entry.onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `busy` stays the same.
      if (next) next.grant();
      else this.busy--;
    };
  }
}
