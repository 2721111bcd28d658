/**
 * The resolved load profile: what the spec's load section will do, worked out before any
 * call is placed. `loadspec plan` prints it; the numbers come from the same arrival math the
 * ticker uses (arrivals.ts), so the plan and the run cannot disagree.
 *
 * Peak concurrency is estimated with Little's law over a sliding window: the most arrivals
 * expected within any one call length. In a steady phase that is rate × call length; it is
 * lower when a peak is shorter than a call, and never more than `calls`.
 */
import type { Spec } from '../spec/types.js';
import { formatDuration, formatRate } from '../spec/units.js';
import { estimateCallLength, turnTime, type CallLengthEstimate } from '../plan/call-length.js';
import { arrivalOffsets, expectedCumulative, expectedArrivals, scheduledRateAt, timeForCount, timeline, type Timeline } from './arrivals.js';

export interface ProfilePhase {
  /** The phase's name in the spec, or `phase N`; `hold` for the final rate after the phases. */
  readonly name: string;
  readonly kind: 'phase' | 'hold';
  readonly startMs: number;
  readonly endMs: number;
  readonly fromRatePerSec: number;
  readonly toRatePerSec: number;
  /** Expected arrivals within the phase, after the calls and duration caps. */
  readonly expectedCalls: number;
  /** Arrivals this seed places in the phase. */
  readonly plannedCalls: number;
  /** False when scheduling is over before the phase starts. */
  readonly reached: boolean;
}

/** Mean expected arrivals per second in consecutive buckets from the run's start. */
export interface ArrivalSeries {
  readonly bucketMs: number;
  readonly ratesPerSec: readonly number[];
}

export type ProfileWarningCode =
  | 'no_calls'
  | 'concurrency_cap'
  | 'final_rate_holds'
  | 'calls_unreached'
  | 'duration_cap'
  | 'phase_sparse'
  | 'phase_unreached'
  | 'call_timeout'
  | 'patience';

export interface ProfileWarning {
  readonly code: ProfileWarningCode;
  readonly message: string;
}

export interface LoadProfile {
  readonly arrivals: 'uniform' | 'poisson';
  readonly seed: number;
  /** load.calls as written (after overrides). */
  readonly requestedCalls: number;
  /** Calls the plan places with this seed (fewer when the duration cap or a zero rate ends it). */
  readonly plannedCalls: number;
  readonly phases: readonly ProfilePhase[];
  readonly firstArrivalMs?: number;
  readonly lastArrivalMs?: number;
  /** When scheduling is expected to end: `calls` reached, or the duration cap. */
  readonly scheduleEndMs: number;
  readonly peakRatePerSec: number;
  readonly callLength: CallLengthEstimate;
  /** Calls expected in flight at the busiest moment, before the cap applies. */
  readonly expectedPeakConcurrency: number;
  readonly concurrency: number;
  /** Most calls per second `concurrency` lines can serve at the expected call length. */
  readonly servedPerSec: number;
  readonly series: ArrivalSeries;
  readonly warnings: readonly ProfileWarning[];
}

/** At most this many buckets in the arrival series. */
const MAX_BUCKETS = 120;
const BUCKET_CHOICES_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400].map((s) => s * 1000);
const CONCURRENCY_SAMPLES = 2_000;

function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Counts read better rounded: `0.3`, `12.5`, `1250`. */
export function formatCount(value: number): string {
  return String(value >= 100 ? Math.round(value) : round(value, 1));
}

function chooseBucketMs(spanMs: number): number {
  for (const bucketMs of BUCKET_CHOICES_MS) if (spanMs / bucketMs <= MAX_BUCKETS) return bucketMs;
  const dayMs = 86_400_000;
  return Math.ceil(spanMs / MAX_BUCKETS / dayMs) * dayMs;
}

function arrivalSeries(spec: Spec, line: Timeline, endMs: number): ArrivalSeries {
  const bucketMs = chooseBucketMs(Math.max(endMs, 1_000));
  const buckets = Math.max(1, Math.ceil(endMs / bucketMs));
  const ratesPerSec: number[] = [];
  for (let i = 0; i < buckets; i++) {
    ratesPerSec.push(round(expectedArrivals(spec.load, i * bucketMs, (i + 1) * bucketMs, line) / (bucketMs / 1000)));
  }
  return { bucketMs, ratesPerSec };
}

function peakRate(line: Timeline, endMs: number): number {
  // Rates are linear within a phase, so the peak is at a phase edge inside the window.
  let peak = endMs > 0 ? scheduledRateAt(line, 0) : 0;
  for (const segment of line.segments) {
    if (segment.startMs >= endMs) break;
    peak = Math.max(peak, segment.phase.ratePerSec);
    peak = Math.max(peak, segment.endMs <= endMs ? segment.phase.rampToPerSec : scheduledRateAt(line, endMs));
  }
  if (endMs > line.phasesEndMs) peak = Math.max(peak, line.finalRatePerSec);
  return peak;
}

function peakConcurrency(spec: Spec, line: Timeline, endMs: number, callMs: number): number {
  if (callMs <= 0) return 0;
  const horizon = endMs + callMs;
  const times = new Set<number>([endMs, horizon]);
  for (const segment of line.segments) for (const edge of [segment.startMs, segment.endMs]) times.add(edge).add(edge + callMs);
  for (let i = 0; i <= CONCURRENCY_SAMPLES; i++) times.add((horizon * i) / CONCURRENCY_SAMPLES);
  let peak = 0;
  for (const t of times) {
    if (t > horizon) continue;
    peak = Math.max(peak, expectedCumulative(spec.load, t, line) - expectedCumulative(spec.load, t - callMs, line));
  }
  return peak;
}

/** Works out the load profile of a spec; iterates the arrivals once (fast up to millions). */
export function resolveLoadProfile(spec: Spec): LoadProfile {
  const { load } = spec;
  const line = timeline(load);
  const capMs = Number.isFinite(load.maxDurationMs) && load.maxDurationMs > 0 ? load.maxDurationMs : Number.POSITIVE_INFINITY;
  const uncappedEndMs = timeForCount(line, load.calls) ?? line.phasesEndMs;
  const scheduleEndMs = Math.min(uncappedEndMs, capMs);

  // Count this seed's arrivals per phase; arrivals are in order, so one pass suffices.
  const planned = new Array<number>(line.segments.length + 1).fill(0);
  let plannedCalls = 0;
  let firstArrivalMs: number | undefined;
  let lastArrivalMs: number | undefined;
  let segmentIndex = 0;
  for (const offsetMs of arrivalOffsets(load)) {
    for (let s = line.segments[segmentIndex]; s && offsetMs >= s.endMs; s = line.segments[segmentIndex]) segmentIndex++;
    planned[segmentIndex]!++;
    plannedCalls++;
    firstArrivalMs ??= offsetMs;
    lastArrivalMs = offsetMs;
  }

  const phases: ProfilePhase[] = line.segments.map((segment) => ({
    name: segment.phase.name ?? `phase ${segment.index + 1}`,
    kind: 'phase',
    startMs: segment.startMs,
    endMs: segment.endMs,
    fromRatePerSec: segment.phase.ratePerSec,
    toRatePerSec: segment.phase.rampToPerSec,
    expectedCalls: round(expectedArrivals(load, segment.startMs, segment.endMs, line)),
    plannedCalls: planned[segment.index] ?? 0,
    reached: segment.startMs < scheduleEndMs,
  }));
  const holdCalls = planned[line.segments.length] ?? 0;
  if (scheduleEndMs > line.phasesEndMs && line.finalRatePerSec > 0) {
    phases.push({
      name: 'hold',
      kind: 'hold',
      startMs: line.phasesEndMs,
      endMs: scheduleEndMs,
      fromRatePerSec: line.finalRatePerSec,
      toRatePerSec: line.finalRatePerSec,
      expectedCalls: round(expectedArrivals(load, line.phasesEndMs, scheduleEndMs, line)),
      plannedCalls: holdCalls,
      reached: true,
    });
  }

  const callLength = estimateCallLength(spec);
  const expectedPeakConcurrency = round(peakConcurrency(spec, line, scheduleEndMs, callLength.expectedMs), 1);
  const peakRatePerSec = round(peakRate(line, scheduleEndMs));
  const servedPerSec = callLength.expectedMs > 0 ? round(load.concurrency / (callLength.expectedMs / 1000)) : Number.POSITIVE_INFINITY;
  const profile = {
    arrivals: load.arrivals,
    seed: load.seed,
    requestedCalls: load.calls,
    plannedCalls,
    phases,
    ...(firstArrivalMs === undefined ? {} : { firstArrivalMs: round(firstArrivalMs, 3) }),
    ...(lastArrivalMs === undefined ? {} : { lastArrivalMs: round(lastArrivalMs, 3) }),
    scheduleEndMs: round(scheduleEndMs, 3),
    peakRatePerSec,
    callLength,
    expectedPeakConcurrency,
    concurrency: load.concurrency,
    servedPerSec,
    series: arrivalSeries(spec, line, scheduleEndMs),
  };
  return { ...profile, warnings: profileWarnings(spec, line, { ...profile, uncappedEndMs, capMs }) };
}

interface WarningInputs extends Omit<LoadProfile, 'warnings'> {
  readonly uncappedEndMs: number;
  readonly capMs: number;
}

function profileWarnings(spec: Spec, line: Timeline, p: WarningInputs): ProfileWarning[] {
  const { load } = spec;
  const warnings: ProfileWarning[] = [];
  const warn = (code: ProfileWarningCode, message: string) => warnings.push({ code, message });

  if (p.plannedCalls === 0) warn('no_calls', 'the plan places no calls: every rate is zero, or the duration cap is zero');

  if (p.expectedPeakConcurrency > load.concurrency) {
    const overload = p.peakRatePerSec > p.servedPerSec
      ? `; at the peak, ${formatRate(p.peakRatePerSec)} arrive but ${load.concurrency} lines serve about ${formatRate(p.servedPerSec)}, so the queue grows while the peak lasts`
      : '';
    warn('concurrency_cap', `expected peak concurrency ${formatCount(p.expectedPeakConcurrency)} exceeds the cap of ${load.concurrency}: calls will queue, and any that wait longer than queue.maxWait (${formatDuration(load.queueMaxWaitMs)}) are dropped${overload}`);
  }

  const capsFirst = p.capMs < p.uncappedEndMs;
  // Less than one call left for after the phases is rounding, not a plan worth a warning.
  if (load.calls - line.phasesCount >= 1 && !capsFirst) {
    if (line.finalRatePerSec > 0) {
      warn('final_rate_holds', `the phases place about ${formatCount(line.phasesCount)} of the ${load.calls} calls by ${formatDuration(line.phasesEndMs)}; the last rate (${formatRate(line.finalRatePerSec)}) holds for another ${formatDuration(round(p.uncappedEndMs - line.phasesEndMs, 3))} to place the rest`);
    } else {
      warn('calls_unreached', `the phases end at rate 0 after about ${formatCount(line.phasesCount)} calls: only ${p.plannedCalls} of the ${load.calls} calls are placed`);
    }
  }
  if (capsFirst) {
    warn('duration_cap', `maxDuration (${formatDuration(load.maxDurationMs)}) stops scheduling after ${p.plannedCalls} of the ${load.calls} calls (all of them need ${Number.isFinite(p.uncappedEndMs) ? formatDuration(round(p.uncappedEndMs, 3)) : 'more time than the phases give'})`);
  }

  for (const phase of p.phases) {
    if (phase.kind !== 'phase') continue;
    if (!phase.reached) {
      warn('phase_unreached', `${phase.name} never runs: scheduling ends at ${formatDuration(p.scheduleEndMs)}, before it starts at ${formatDuration(phase.startMs)}`);
      continue;
    }
    const expected = ((phase.fromRatePerSec + phase.toRatePerSec) / 2) * ((phase.endMs - phase.startMs) / 1000);
    if (expected > 0 && expected < 1) {
      warn('phase_sparse', `${phase.name} expects ${formatCount(expected)} calls (a rate below one per its ${formatDuration(phase.endMs - phase.startMs)}); this seed places ${phase.plannedCalls} in it`);
    }
  }

  if (p.callLength.expectedMs > load.callTimeoutMs) {
    warn('call_timeout', `the expected call length ${formatDuration(round(p.callLength.expectedMs, 0))} exceeds callTimeout (${formatDuration(load.callTimeoutMs)}): calls will end in timeout`);
  }

  const patience = spec.personas.traits.patienceMs;
  if (patience) {
    const slowestTurnMs = Math.max(...spec.variants.map((v) => turnTime(v.target).turnMs));
    if (slowestTurnMs > patience.minMs) {
      const who = slowestTurnMs > patience.maxMs ? 'every caller' : 'some callers';
      warn('patience', `the expected turn time (${formatDuration(slowestTurnMs)}) is longer than the patience of ${who} (${formatDuration(patience.minMs)}–${formatDuration(patience.maxMs)}): those calls end in hangup_early`);
    }
  }
  return warnings;
}
