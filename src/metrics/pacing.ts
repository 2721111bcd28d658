/**
 * What the spec's phases promise over time: the target arrival rate at a moment and the
 * planned run length, for the live view's progress bar and "start rate vs target".
 */
import type { Spec } from '../spec/types.js';

/** Target arrivals per second at `elapsedMs` into the run (0 once the plan is done). */
export function targetRateAt(spec: Spec, elapsedMs: number, planned: number): number {
  if (elapsedMs >= plannedDurationMs(spec, planned)) return 0;
  let startMs = 0;
  for (const phase of spec.load.phases) {
    if (elapsedMs < startMs + phase.durationMs) {
      const f = phase.durationMs > 0 ? (elapsedMs - startMs) / phase.durationMs : 0;
      return phase.ratePerSec + (phase.rampToPerSec - phase.ratePerSec) * f;
    }
    startMs += phase.durationMs;
  }
  return spec.load.phases.at(-1)?.rampToPerSec ?? 0;
}

/**
 * How long arrivals take: until `planned` calls have arrived at the phases' rates (the last
 * rate holding after the phases), capped by load.maxDurationMs.
 */
export function plannedDurationMs(spec: Spec, planned: number): number {
  const cap = spec.load.maxDurationMs > 0 ? spec.load.maxDurationMs : Number.POSITIVE_INFINITY;
  let remaining = planned;
  let atMs = 0;
  for (const phase of spec.load.phases) {
    const sec = phase.durationMs / 1000;
    const arrivals = ((phase.ratePerSec + phase.rampToPerSec) / 2) * sec;
    if (arrivals >= remaining) return Math.min(cap, atMs + secondsToArrive(remaining, phase.ratePerSec, phase.rampToPerSec, sec) * 1000);
    remaining -= arrivals;
    atMs += phase.durationMs;
  }
  const lastRate = spec.load.phases.at(-1)?.rampToPerSec ?? 0;
  if (remaining <= 0) return Math.min(cap, atMs);
  if (lastRate <= 0) return Number.isFinite(cap) ? cap : atMs;
  return Math.min(cap, atMs + (remaining / lastRate) * 1000);
}

/** Seconds into a linear ramp r0 → r1 over `sec` until `n` arrivals: solve r0 t + (r1-r0) t² / 2sec = n. */
function secondsToArrive(n: number, r0: number, r1: number, sec: number): number {
  const a = (r1 - r0) / (2 * sec);
  if (Math.abs(a) < 1e-12) return r0 > 0 ? n / r0 : sec;
  const disc = r0 * r0 + 4 * a * n;
  return Math.min(sec, (-r0 + Math.sqrt(Math.max(0, disc))) / (2 * a));
}
