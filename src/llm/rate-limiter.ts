/**
 * Requests-per-minute and tokens-per-minute caps shared by every worker thread.
 *
 * Each cap is a GCRA (generic cell rate algorithm) in one 64-bit shared word: the
 * "theoretical arrival time" when the bucket would be empty again. A request reserves its
 * cost with one compare-and-swap and then sleeps until its slot; nothing spins and no lock
 * is held across a sleep. The bucket holds one second's worth of the cap, so a run starts
 * at most a second's burst at once and then flows at the capped rate.
 *
 * Tokens are estimated before the request (its prompt plus an allowance for the answer)
 * and corrected with the billed count afterwards (`settleTokens`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { LlmSpec } from '../spec/types.js';
import { SLOT_PAUSED, SLOT_REQUESTS, SLOT_TOKENS, nowUs, type LlmSharedView } from './shared-state.js';

const MINUTE_US = 60_000_000;

interface Cap {
  readonly slot: number;
  /** Microseconds one unit (a request, a token) occupies. */
  readonly unitUs: number;
  /** Burst allowance, µs. */
  readonly burstUs: number;
}

function capFor(slot: number, perMinute: number | undefined): Cap | undefined {
  if (perMinute === undefined || !(perMinute > 0)) return undefined;
  const unitUs = MINUTE_US / perMinute;
  const burstUnits = Math.max(1, perMinute / 60);
  return { slot, unitUs, burstUs: burstUnits * unitUs };
}

/** A reservation; settle it with the billed tokens, or cancel it if the request never went out. */
export interface Reservation {
  readonly estimatedTokens: number;
  /** When the caps let this request go (epoch µs on the clock every thread shares). */
  readonly readyAtUs: bigint;
}

export class RateLimiter {
  readonly #clocks: BigInt64Array;
  readonly #requests: Cap | undefined;
  readonly #tokens: Cap | undefined;

  constructor(view: LlmSharedView, llm: Pick<LlmSpec, 'requestsPerMinute' | 'tokensPerMinute'> | undefined) {
    this.#clocks = view.clocks;
    this.#requests = capFor(SLOT_REQUESTS, llm?.requestsPerMinute);
    this.#tokens = capFor(SLOT_TOKENS, llm?.tokensPerMinute);
  }

  /** Waits until one request of about `estimatedTokens` may go out under every cap. */
  async acquire(estimatedTokens: number, signal?: AbortSignal): Promise<Reservation> {
    const now = nowUs();
    let readyAtUs = now;
    if (this.#requests) readyAtUs = max(readyAtUs, this.#reserve(this.#requests, 1, now));
    if (this.#tokens) readyAtUs = max(readyAtUs, this.#reserve(this.#tokens, estimatedTokens, now));
    const reservation = { estimatedTokens, readyAtUs };
    try {
      // A 429 seen by another thread may extend the pause while we sleep: look again after each wake.
      for (;;) {
        const waitUs = max(readyAtUs, Atomics.load(this.#clocks, SLOT_PAUSED)) - nowUs();
        if (waitUs <= 0n) break;
        await sleep(Math.ceil(Number(waitUs) / 1000), undefined, { signal });
      }
    } catch (error) {
      this.cancel(reservation);
      throw error;
    }
    return reservation;
  }

  /** Corrects the token reservation with what the provider billed. */
  settleTokens(reservation: Reservation, billedTokens: number): void {
    if (this.#tokens) this.#shift(this.#tokens, billedTokens - reservation.estimatedTokens);
  }

  /** Gives back a reservation whose request was never answered (aborted, refused). */
  cancel(reservation: Reservation): void {
    if (this.#requests) this.#shift(this.#requests, -1);
    if (this.#tokens) this.#shift(this.#tokens, -reservation.estimatedTokens);
  }

  /** A provider said "wait": hold every thread's next request until then. */
  pauseFor(delayMs: number): void {
    const untilUs = nowUs() + BigInt(Math.ceil(delayMs * 1000));
    for (;;) {
      const current = Atomics.load(this.#clocks, SLOT_PAUSED);
      if (current >= untilUs || Atomics.compareExchange(this.#clocks, SLOT_PAUSED, current, untilUs) === current) return;
    }
  }

  /** Reserves `cost` units; returns when the request may start, epoch µs. */
  #reserve(cap: Cap, cost: number, now: bigint): bigint {
    const costUs = BigInt(Math.round(cost * cap.unitUs));
    const burstUs = BigInt(Math.round(cap.burstUs));
    for (;;) {
      const tat = Atomics.load(this.#clocks, cap.slot);
      const next = max(tat, now) + costUs;
      if (Atomics.compareExchange(this.#clocks, cap.slot, tat, next) === tat) return max(now, next - burstUs);
    }
  }

  #shift(cap: Cap, units: number): void {
    const deltaUs = BigInt(Math.round(units * cap.unitUs));
    if (deltaUs !== 0n) Atomics.add(this.#clocks, cap.slot, deltaUs);
  }
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
