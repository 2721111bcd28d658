/**
 * A counting semaphore in shared memory: at most N holders across every worker thread.
 * Used to judge calls with lower concurrency than they are placed.
 *
 * Each permit is a lease: a shared word holding its expiry, renewed while held. A worker
 * that crashes mid-judge stops renewing, and its permit frees itself when the lease runs
 * out instead of being lost for the rest of the run.
 *
 * Waiting uses Atomics.waitAsync on a release counter, which parks the waiter without
 * blocking the worker's event loop (other calls keep running) and wakes it on release.
 * Waits are capped at a second and rescanned, so a notify lost to a race, or a lease that
 * expired, costs at most that; a timer alongside keeps the worker alive meanwhile (a bare
 * waitAsync does not).
 */
import { nowUs } from './shared-state.js';

const WAIT_SLICE_MS = 1000;
export const DEFAULT_LEASE_MS = 30_000;

type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs?: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** A held permit: which lease word, and the expiry we wrote there (to renew or free only our own). */
export interface Permit {
  readonly slot: number;
}

interface HeldPermit extends Permit {
  lease: bigint;
  renewal: NodeJS.Timeout;
}

export class SharedSemaphore {
  readonly #leases: BigInt64Array;
  readonly #releases: Int32Array;
  readonly #releasesIndex: number;
  readonly #leaseUs: bigint;
  readonly #leaseMs: number;

  constructor(leases: BigInt64Array, releases: Int32Array, releasesIndex: number, leaseMs: number = DEFAULT_LEASE_MS) {
    if (leases.length < 1) throw new RangeError('a semaphore needs at least one permit');
    this.#leases = leases;
    this.#releases = releases;
    this.#releasesIndex = releasesIndex;
    this.#leaseMs = leaseMs;
    this.#leaseUs = BigInt(Math.round(leaseMs * 1000));
  }

  async acquire(signal?: AbortSignal): Promise<Permit> {
    for (;;) {
      signal?.throwIfAborted();
      // Read the release counter before scanning: a release after the scan changes it, so the wait returns at once.
      const releases = Atomics.load(this.#releases, this.#releasesIndex);
      const permit = this.#tryTake();
      if (permit) return permit;
      const wait = waitAsync(this.#releases, this.#releasesIndex, releases, WAIT_SLICE_MS);
      if (!wait.async) continue;
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

  release(permit: Permit): void {
    const held = permit as HeldPermit;
    clearInterval(held.renewal);
    // Free the word only if it still holds our lease (it was not reclaimed as expired).
    Atomics.compareExchange(this.#leases, held.slot, held.lease, 0n);
    Atomics.add(this.#releases, this.#releasesIndex, 1);
    Atomics.notify(this.#releases, this.#releasesIndex, 1);
  }

  /** Runs `work` holding one permit. */
  async with<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const permit = await this.acquire(signal);
    try {
      return await work();
    } finally {
      this.release(permit);
    }
  }

  /** Permits held right now (free words and expired leases do not count). */
  held(): number {
    const now = nowUs();
    let count = 0;
    for (let slot = 0; slot < this.#leases.length; slot++) if (Atomics.load(this.#leases, slot) > now) count++;
    return count;
  }

  #tryTake(): HeldPermit | undefined {
    const now = nowUs();
    for (let slot = 0; slot < this.#leases.length; slot++) {
      const current = Atomics.load(this.#leases, slot);
      if (current !== 0n && current > now) continue;
      const lease = now + this.#leaseUs;
      if (Atomics.compareExchange(this.#leases, slot, current, lease) !== current) continue;
      const permit: HeldPermit = { slot, lease, renewal: setInterval(() => this.#renew(permit), this.#leaseMs / 3) };
      // Renewal must not keep a finished worker alive.
      permit.renewal.unref();
      return permit;
    }
    return undefined;
  }

  #renew(permit: HeldPermit): void {
    const lease = nowUs() + this.#leaseUs;
    if (Atomics.compareExchange(this.#leases, permit.slot, permit.lease, lease) === permit.lease) permit.lease = lease;
    else clearInterval(permit.renewal);
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
