/**
 * Arrival-time math: when each planned call is due, as an offset from the run's start.
 * Pure functions of the load spec and seed; the real-time ticker only turns these offsets
 * into timers.
 *
 * The model is the cumulative expected count Λ(t) = ∫₀ᵗ rate, piecewise over the phases
 * (constant or linear ramp), with the last phase's final rate holding afterwards.
 * - uniform: arrival k (0-based) is due when Λ reaches k, so the first call starts at once
 *   and a phase's fractional remainder carries into the next phase: nothing is lost or
 *   doubled at a boundary.
 * - poisson: arrival k is due when Λ reaches E₀ + … + E_k, with E_i ~ Exp(1). Exponential
 *   gaps in expected-count space, mapped through Λ⁻¹, give a correct time-varying Poisson
 *   process (a ramp gets denser as it climbs).
 * Every time is solved from its phase's start (the ramp's quadratic exactly), never by
 * adding up thousands of small gaps, so no floating error accumulates.
 */
import type { LoadSpec, PhaseSpec } from '../spec/types.js';
import { rngFor } from '../plan/prng.js';

const MS_PER_SEC = 1000;

/** A phase laid on the run's timeline, with its share of Λ. */
export interface PhaseSegment {
  readonly index: number;
  readonly phase: PhaseSpec;
  readonly startMs: number;
  readonly endMs: number;
  /** Λ at the phase start and the expected arrivals within it. */
  readonly countBefore: number;
  readonly count: number;
}

/** The timeline: phases with their cumulative counts, then the final rate forever. */
export interface Timeline {
  readonly segments: readonly PhaseSegment[];
  /** When the last phase ends. */
  readonly phasesEndMs: number;
  /** Λ at the end of the phases. */
  readonly phasesCount: number;
  /** Rate (calls/s) that holds after the last phase. */
  readonly finalRatePerSec: number;
}

export function timeline(load: LoadSpec): Timeline {
  const segments: PhaseSegment[] = [];
  let startMs = 0;
  let countBefore = 0;
  load.phases.forEach((phase, index) => {
    const count = ((phase.ratePerSec + phase.rampToPerSec) / 2) * (phase.durationMs / MS_PER_SEC);
    segments.push({ index, phase, startMs, endMs: startMs + phase.durationMs, countBefore, count });
    startMs += phase.durationMs;
    countBefore += count;
  });
  const last = load.phases[load.phases.length - 1];
  return { segments, phasesEndMs: startMs, phasesCount: countBefore, finalRatePerSec: last ? last.rampToPerSec : 0 };
}

/** Instantaneous scheduled rate (calls/s) at `tMs`, ignoring the calls and duration caps. */
export function scheduledRateAt(line: Timeline, tMs: number): number {
  if (tMs < 0) return 0;
  for (const segment of line.segments) {
    if (tMs < segment.endMs) {
      const { phase } = segment;
      const fraction = phase.durationMs > 0 ? (tMs - segment.startMs) / phase.durationMs : 0;
      return phase.ratePerSec + (phase.rampToPerSec - phase.ratePerSec) * fraction;
    }
  }
  return line.finalRatePerSec;
}

/** Λ(t): expected arrivals in [0, tMs), ignoring the calls and duration caps. */
export function cumulativeCount(line: Timeline, tMs: number): number {
  if (tMs <= 0) return 0;
  for (const segment of line.segments) {
    if (tMs < segment.endMs) return segment.countBefore + countWithin(segment.phase, tMs - segment.startMs);
  }
  return line.phasesCount + line.finalRatePerSec * ((tMs - line.phasesEndMs) / MS_PER_SEC);
}

function countWithin(phase: PhaseSpec, elapsedMs: number): number {
  const t = elapsedMs / MS_PER_SEC;
  const slope = phase.durationMs > 0 ? (phase.rampToPerSec - phase.ratePerSec) / (phase.durationMs / MS_PER_SEC) : 0;
  return phase.ratePerSec * t + (slope * t * t) / 2;
}

/**
 * Λ⁻¹(count): the earliest time Λ reaches `count`, or undefined when it never does (the
 * final rate is zero). Phases whose count is zero (pauses) are skipped over.
 */
export function timeForCount(line: Timeline, count: number): number | undefined {
  const target = Math.max(0, count);
  for (const segment of line.segments) {
    // Strictly inside: a count on a boundary belongs to the next phase with arrivals in it.
    if (target < segment.countBefore + segment.count) {
      return segment.startMs + solveWithin(segment.phase, target - segment.countBefore);
    }
  }
  if (line.finalRatePerSec <= 0) return undefined;
  return line.phasesEndMs + (Math.max(0, target - line.phasesCount) / line.finalRatePerSec) * MS_PER_SEC;
}

/**
 * Solves r₀t + (r₁−r₀)t²/(2D) = x for t in [0, D], returned in ms. The form 2x/(b+√(b²+4ax))
 * is the stable root of at² + bt − x = 0 for ramps up and down, and degrades to x/b when
 * the ramp is flat.
 */
function solveWithin(phase: PhaseSpec, x: number): number {
  const durationSec = phase.durationMs / MS_PER_SEC;
  const b = phase.ratePerSec;
  const a = durationSec > 0 ? (phase.rampToPerSec - phase.ratePerSec) / (2 * durationSec) : 0;
  let t: number;
  if (x <= 0) {
    t = 0;
  } else {
    const discriminant = Math.max(0, b * b + 4 * a * x);
    const denominator = b + Math.sqrt(discriminant);
    t = denominator > 0 ? (2 * x) / denominator : durationSec;
  }
  return Math.min(Math.max(t, 0), durationSec) * MS_PER_SEC;
}

function hasDurationCap(load: LoadSpec): boolean {
  return Number.isFinite(load.maxDurationMs) && load.maxDurationMs > 0;
}

/** The time scheduling stops: the duration cap, or never. */
export function durationCapMs(load: LoadSpec): number {
  return hasDurationCap(load) ? load.maxDurationMs : Number.POSITIVE_INFINITY;
}

/**
 * Each arrival's offset from the run's start in ms, lazily, in order. Stops after
 * `load.calls` arrivals, at `load.maxDurationMs` (an arrival due at or after the cap is not
 * placed), or when the rate has dropped to zero for good.
 */
export function* arrivalOffsets(load: LoadSpec, seed: number = load.seed): Generator<number, void, undefined> {
  const line = timeline(load);
  const capMs = durationCapMs(load);
  let poissonCount = 0;
  for (let k = 0; k < load.calls; k++) {
    let count: number;
    if (load.arrivals === 'poisson') {
      // Gap k comes from its own generator, so arrival k depends only on the seed.
      poissonCount += -Math.log1p(-rngFor(seed, 'arrival', k).float());
      count = poissonCount;
    } else {
      count = k;
    }
    const offsetMs = timeForCount(line, count);
    if (offsetMs === undefined || offsetMs >= capMs) return;
    yield offsetMs;
  }
}

/**
 * How many calls the plan places: `load.calls`, or fewer when the duration cap or a final
 * rate of zero ends scheduling first. Walks the arrivals (about 70 ms per million).
 */
export function countArrivals(load: LoadSpec, seed: number = load.seed): number {
  let count = 0;
  for (const _offsetMs of arrivalOffsets(load, seed)) count++;
  return count;
}

/** Expected arrivals in [0, tMs), with the calls and duration caps applied. */
export function expectedCumulative(load: LoadSpec, tMs: number, line: Timeline = timeline(load)): number {
  const until = Math.min(tMs, durationCapMs(load));
  return Math.min(load.calls, cumulativeCount(line, until));
}

/**
 * Expected arrivals in [fromMs, toMs): the "target pacing" the live view and the report
 * compare started calls with. For uniform arrivals this is the schedule itself (up to the
 * fractional remainder); for poisson it is the mean.
 */
export function expectedArrivals(load: LoadSpec, fromMs: number, toMs: number, line: Timeline = timeline(load)): number {
  if (toMs <= fromMs) return 0;
  return expectedCumulative(load, toMs, line) - expectedCumulative(load, fromMs, line);
}

/**
 * The target rate (calls/s) at `tMs`: the phase's rate while scheduling runs, zero once
 * `calls` are expected to have arrived or the duration cap has passed.
 */
export function expectedRateAt(load: LoadSpec, tMs: number, line: Timeline = timeline(load)): number {
  if (tMs < 0 || tMs >= durationCapMs(load)) return 0;
  if (cumulativeCount(line, tMs) >= load.calls) return 0;
  return scheduledRateAt(line, tMs);
}

/**
 * When scheduling is expected to end: the moment Λ reaches `calls`, or the duration cap,
 * whichever is first; the phases' end when the final rate is zero and calls never arrive.
 */
export function expectedScheduleEndMs(load: LoadSpec, line: Timeline = timeline(load)): number {
  const reachedMs = timeForCount(line, load.calls) ?? line.phasesEndMs;
  return Math.min(reachedMs, durationCapMs(load));
}
