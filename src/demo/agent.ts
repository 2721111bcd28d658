/**
 * The transport-free heart of the demo receptionist: the calls in progress, the slots,
 * the seeded fault and latency draws, and the counters tests use to prove every call that
 * began also ended. The HTTP and WebSocket front ends (http-routes.ts, ws-routes.ts) only
 * translate.
 */
import { randomBytes } from 'node:crypto';
import { createRng, deriveSeed, type Rng } from '../plan/prng.js';
import type { DemoFault } from '../spec/types.js';
import { Dialogue, type DialogueReply } from './dialogue.js';
import { DEMO_FAULTS, type DemoOptions } from './options.js';
import { Slots } from './slots.js';

export interface DemoStats {
  readonly callsBegun: number;
  readonly callsEnded: number;
  /** Calls begun and not yet ended. */
  readonly active: number;
  readonly turns: number;
  /** Turns holding a slot right now. */
  readonly turnsInProgress: number;
  /** Turns waiting for a slot right now, and the most that ever waited. */
  readonly queued: number;
  readonly maxQueued: number;
  readonly faults: Readonly<Record<DemoFault, number>>;
}

export interface DemoCall {
  readonly id: string;
  readonly scenario: string;
  readonly variant: string;
  readonly caller: string;
  readonly dialogue: Dialogue;
  /** Ended by the agent (goodbye) or the caller; an ended call answers no more turns. */
  ended: boolean;
}

export type TurnOutcome = ({ readonly kind: 'reply' } & DialogueReply) | { readonly kind: 'fault'; readonly fault: DemoFault };

export class DemoAgent {
  private readonly calls = new Map<string, DemoCall>();
  private readonly slots: Slots;
  /** Separate streams, so changing the jitter never changes which turns fault. */
  private readonly faultRng: Rng;
  private readonly latencyRng: Rng;
  private counter = 0;
  private begun = 0;
  private ended = 0;
  private turnCount = 0;
  private maxQueued = 0;
  private readonly faultCounts: Record<DemoFault, number> = { http_5xx: 0, rate_limited: 0, drop: 0, hang: 0, garbage: 0 };

  constructor(readonly options: DemoOptions) {
    this.slots = new Slots(options.capacity);
    this.faultRng = createRng(deriveSeed(options.seed, 'demo-faults', 0));
    this.latencyRng = createRng(deriveSeed(options.seed, 'demo-latency', 0));
  }

  begin(meta: { scenario?: unknown; variant?: unknown; caller?: unknown } = {}): DemoCall {
    this.counter++;
    // The suffix keeps ids from two demo runs apart; it needs no seed.
    const id = `call-${this.counter}-${randomBytes(3).toString('hex')}`;
    const call: DemoCall = {
      id,
      scenario: String(meta.scenario ?? ''),
      variant: String(meta.variant ?? ''),
      caller: String(meta.caller ?? ''),
      dialogue: new Dialogue(),
      ended: false,
    };
    this.calls.set(id, call);
    this.begun++;
    return call;
  }

  get(id: string): DemoCall | undefined {
    return this.calls.get(id);
  }

  /** Ends a call (once); `forget` drops it from the table (the caller's end of the call). */
  end(call: DemoCall, forget: boolean): void {
    if (!call.ended) {
      call.ended = true;
      this.ended++;
    }
    if (forget) this.calls.delete(call.id);
  }

  /**
   * Plays one turn: draws a fault, waits for a slot and the latency, then answers from
   * the script. `signal` aborts when the caller goes away, freeing the slot or the queue place.
   */
  async turn(call: DemoCall, text: string, signal: AbortSignal): Promise<TurnOutcome> {
    this.turnCount++;
    const fault = this.drawFault();
    if (fault) this.faultCounts[fault]++;
    // A rate limiter answers before any model work is done.
    if (fault === 'rate_limited') return { kind: 'fault', fault };
    const waiting = this.slots.acquire(signal);
    this.maxQueued = Math.max(this.maxQueued, this.slots.queued);
    const release = await waiting;
    try {
      await sleep(this.latencyMs(), signal);
    } finally {
      release();
    }
    if (fault) return { kind: 'fault', fault };
    const reply = call.dialogue.reply(text);
    if (reply.hangup) this.end(call, false);
    return { kind: 'reply', ...reply };
  }

  stats(): DemoStats {
    return {
      callsBegun: this.begun,
      callsEnded: this.ended,
      active: this.begun - this.ended,
      turns: this.turnCount,
      turnsInProgress: this.slots.inUse,
      queued: this.slots.queued,
      maxQueued: this.maxQueued,
      faults: { ...this.faultCounts },
    };
  }

  private drawFault(): DemoFault | undefined {
    const u = this.faultRng.float();
    let cumulative = 0;
    for (const fault of DEMO_FAULTS) {
      cumulative += this.options.faults[fault] ?? 0;
      if (u < cumulative) return fault;
    }
    return undefined;
  }

  private latencyMs(): number {
    const { latencyMs, jitterMs } = this.options;
    return Math.max(0, latencyMs + (this.latencyRng.float() * 2 - 1) * jitterMs);
  }
}

/** Splits a reply into a few streamed pieces (about three words each), spaces kept. */
export function replyPieces(text: string): string[] {
  const words = text.split(/(?<= )/);
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += 3) pieces.push(words.slice(i, i + 3).join(''));
  return pieces.length > 0 ? pieces : [''];
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
