/**
 * The `sim` driver: an in-process model of a receptionist, no sockets. It exists for engine
 * benchmarks and quick demos, so it models what matters to load:
 *
 * - response time drawn from a log-normal fitted to the spec's p50 and p95 (latencies are
 *   right-skewed; a normal would give negative times), plus `replyDurationMs` to the end
 *   of the reply;
 * - a capacity of simultaneous turns per worker thread: beyond it turns wait for a slot,
 *   so latency rises past a knee like a real model server's;
 * - failures by error code with the spec's probabilities. Connection-level codes fail the
 *   open; the rest fail a turn. `rate_limited` is answered before any work, with a
 *   Retry-After, like a 429.
 *
 * Every draw comes from the call's seeded generator, consumed in a fixed order per turn,
 * so the same seed gives the same latencies and failures on any thread.
 * Zero latency never touches a timer, for throughput benchmarks of loadspec itself.
 */
import { CallError, type CallErrorCode } from '../errors.js';
import { createRng, deriveSeed, type Rng } from '../plan/prng.js';
import type { SimTargetSpec } from '../spec/types.js';
import { abortReason, deadline } from './deadline.js';
import { abortableSleep as sleep } from './sleep.js';
import { nowMs, type AgentReply, type CallSession, type Driver, type OpenContext, type Utterance } from './types.js';

/** Codes that fail the call before it connects. */
const OPEN_CODES: ReadonlySet<CallErrorCode> = new Set(['connect_refused', 'dns', 'tls', 'no_answer', 'busy']);
/** z-score of the 95th percentile of a standard normal. */
const Z95 = 1.6448536269514722;
/** Retry-After the sim sends with a simulated 429. */
export const SIM_RETRY_AFTER_MS = 50;

const OPENERS = [
  'Thank you for calling Riverside Family Clinic.',
  'Riverside Family Clinic, this is Ava speaking.',
  'Good morning, Riverside Family Clinic.',
  'Thanks for holding, this is the clinic front desk.',
];
const FOLLOW_UPS = [
  'Could I have your date of birth, please?',
  'Let me check the schedule for you.',
  'I can help with that. Is there anything else?',
  'All set, your request is noted and confirmed.',
  'One moment while I pull up your chart.',
];

/** Log-normal parameters from two quantiles. */
export function logNormalFit(p50Ms: number, p95Ms: number): { mu: number; sigma: number } | undefined {
  if (!(p50Ms > 0)) return undefined;
  const sigma = p95Ms > p50Ms ? Math.log(p95Ms / p50Ms) / Z95 : 0;
  return { mu: Math.log(p50Ms), sigma };
}

/** A counting semaphore with a FIFO wait line whose waiters leave when their call is cancelled. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(capacity: number) {
    this.free = Math.max(1, capacity);
  }

  tryAcquire(): boolean {
    if (this.free <= 0) return false;
    this.free--;
    return true;
  }

  acquire(signal: AbortSignal): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const at = this.waiting.indexOf(grant);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(abortReason(signal, 'sim turn'));
      };
      this.waiting.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

export class SimDriver implements Driver {
  private readonly slots: Slots;
  private readonly fit: { mu: number; sigma: number } | undefined;
  private readonly openFailures: [CallErrorCode, number][];
  private readonly turnFailures: [CallErrorCode, number][];

  constructor(private readonly target: SimTargetSpec) {
    this.slots = new Slots(target.capacity);
    this.fit = logNormalFit(target.latency.p50Ms, target.latency.p95Ms);
    // Sorted so the order of draws does not depend on how the spec listed the codes.
    const entries = (Object.entries(target.failures) as [CallErrorCode, number][]).filter(([, p]) => p > 0).sort(([a], [b]) => a.localeCompare(b));
    this.openFailures = entries.filter(([code]) => OPEN_CODES.has(code));
    this.turnFailures = entries.filter(([code]) => !OPEN_CODES.has(code));
  }

  open(context: OpenContext): Promise<CallSession> {
    const target = context.target.driver === 'sim' ? context.target : this.target;
    const rng = createRng(deriveSeed(context.job.callSeed, 'sim', 0));
    if (context.signal.aborted) return Promise.reject(abortReason(context.signal, 'sim open'));
    const code = draw(rng, this.openFailures);
    if (code) return Promise.reject(new CallError(code, `sim: simulated ${code} on open`));
    return Promise.resolve(new SimSession(this, target, rng));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Response time for one turn, from the fitted distribution. */
  responseMs(rng: Rng): number {
    // Two uniforms drawn every time (even at zero latency) keep the draw order fixed.
    const u1 = rng.float();
    const u2 = rng.float();
    if (!this.fit) return 0;
    const z = Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    return Math.exp(this.fit.mu + this.fit.sigma * z);
  }

  turnFailure(rng: Rng): CallErrorCode | undefined {
    return draw(rng, this.turnFailures);
  }

  acquire(signal: AbortSignal): Promise<void> {
    return this.slots.acquire(signal);
  }

  /** Takes a slot only if one is free now. */
  tryAcquire(): boolean {
    return this.slots.tryAcquire();
  }

  release(): void {
    this.slots.release();
  }
}

function draw(rng: Rng, failures: readonly [CallErrorCode, number][]): CallErrorCode | undefined {
  let hit: CallErrorCode | undefined;
  for (const [code, probability] of failures) {
    const u = rng.float();
    if (hit === undefined && u < probability) hit = code;
  }
  return hit;
}

class SimSession implements CallSession {
  readonly connectedAtMs = nowMs();
  private turns = 0;

  constructor(
    private readonly driver: SimDriver,
    private readonly target: SimTargetSpec,
    private readonly rng: Rng,
  ) {}

  async turn(utterance: Utterance, signal: AbortSignal): Promise<AgentReply> {
    const sentAtMs = nowMs();
    const turnIndex = this.turns++;
    const responseMs = this.driver.responseMs(this.rng);
    const failure = this.driver.turnFailure(this.rng);
    const lineIndex = this.rng.int(0, FOLLOW_UPS.length - 1);
    if (failure === 'rate_limited') {
      throw new CallError('rate_limited', 'sim: simulated 429', { retryAfterMs: SIM_RETRY_AFTER_MS });
    }
    const answer = (firstByteAtMs: number): AgentReply => {
      if (failure && failure !== 'agent_hangup') throw new CallError(failure, `sim: simulated ${failure}`);
      return { text: reply(utterance.text, turnIndex, lineIndex), sentAtMs, firstByteAtMs, endAtMs: nowMs(), agentHungUp: failure === 'agent_hangup' };
    };
    // A turn that waits for nothing (zero latency, a free slot) needs no turn timer: at
    // throughput-benchmark rates the timer would cost more than the turn.
    if (responseMs <= 0 && this.target.replyDurationMs <= 0 && failure !== 'timeout' && this.driver.tryAcquire()) {
      try {
        if (signal.aborted) throw abortReason(signal, `turn ${turnIndex + 1}`);
        return answer(nowMs());
      } finally {
        this.driver.release();
      }
    }
    const limit = deadline(signal, this.target.turnTimeoutMs, `turn ${turnIndex + 1}`);
    try {
      await this.driver.acquire(limit.signal);
      try {
        if (failure === 'timeout') await sleep(Number.POSITIVE_INFINITY, limit.signal);
        await sleep(responseMs, limit.signal);
        const firstByteAtMs = nowMs();
        await sleep(this.target.replyDurationMs, limit.signal);
        return answer(firstByteAtMs);
      } finally {
        this.driver.release();
      }
    } catch (error) {
      throw limit.reason() ?? error;
    } finally {
      limit.clear();
    }
  }

  hangup(): Promise<void> {
    return Promise.resolve();
  }
}

function reply(said: string, turnIndex: number, lineIndex: number): string {
  const opener = turnIndex === 0 ? `${OPENERS[lineIndex % OPENERS.length]} ` : '';
  const echo = said.length > 160 ? `${said.slice(0, 160)}…` : said;
  return `${opener}You said: "${echo}". ${FOLLOW_UPS[lineIndex]}`;
}
