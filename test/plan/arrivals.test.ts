import { describe, expect, test } from 'vitest';
import {
  arrivalOffsets,
  countArrivals,
  cumulativeCount,
  expectedArrivals,
  expectedRateAt,
  expectedScheduleEndMs,
  timeForCount,
  timeline,
} from '../../src/schedule/arrivals.js';
import type { LoadSpec } from '../../src/spec/types.js';
import { makeLoad, phase } from '../support/spec-fixture.js';

const all = (load: LoadSpec, seed?: number) => [...arrivalOffsets(load, seed)];

function expectOffsets(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 6));
}

describe('uniform arrivals', () => {
  test('constant rate: one call every 1/rate, the first at once', () => {
    expectOffsets(all(makeLoad({ calls: 20, phases: [phase(10_000, 2)] })), Array.from({ length: 20 }, (_, k) => k * 500));
  });

  test('fractional rate: 0.01/s is one call every 100 s', () => {
    expectOffsets(all(makeLoad({ calls: 3, phases: [phase(300_000, 0.01)], maxDurationMs: 0 })), [0, 100_000, 200_000]);
  });

  test('ramp from zero: Λ(t) = t²/2, so call k is due at √(2k) s', () => {
    const offsets = all(makeLoad({ calls: 50, phases: [phase(10_000, 0, 10)] }));
    expectOffsets(offsets, Array.from({ length: 50 }, (_, k) => Math.sqrt(2 * k) * 1000));
  });

  test('ramp up from a positive rate solves the quadratic exactly', () => {
    // Λ(t) = t + 0.1t² over 10 s (1/s → 3/s): 20 calls, call k at (−1 + √(1 + 0.4k)) / 0.2 s.
    const offsets = all(makeLoad({ calls: 20, phases: [phase(10_000, 1, 3)] }));
    expectOffsets(offsets, Array.from({ length: 20 }, (_, k) => ((-1 + Math.sqrt(1 + 0.4 * k)) / 0.2) * 1000));
  });

  test('ramp down to zero: Λ(t) = 10t − t²/2, then no more calls', () => {
    const offsets = all(makeLoad({ calls: 500, phases: [phase(10_000, 10, 0)] }));
    // Exactly 50 expected; the final rate is 0, so the plan ends there.
    expectOffsets(offsets, Array.from({ length: 50 }, (_, k) => (10 - Math.sqrt(100 - 2 * k)) * 1000));
  });

  test('fractional remainders carry across phase boundaries, nothing lost or doubled', () => {
    // 1.5 expected in the first second: calls at 0 and 2/3 s; the remaining half call
    // completes half a second into the next phase at 1/s.
    expectOffsets(all(makeLoad({ calls: 4, phases: [phase(1_000, 1.5), phase(10_000, 1)] })), [0, 666.666667, 1_500, 2_500]);
    // Four phases of 0.5 expected each: one call every other phase, none lost.
    const halves = makeLoad({ calls: 10, phases: [phase(1_000, 0.5), phase(1_000, 0.5), phase(1_000, 0.5), phase(1_000, 0.5)] });
    expectOffsets(all(halves), [0, 2_000, 4_000, 6_000, 8_000, 10_000, 12_000, 14_000, 16_000, 18_000]);
  });

  test('a pause phase (rate 0) is skipped over', () => {
    const load = makeLoad({ calls: 5, phases: [phase(3_000, 1), phase(5_000, 0), phase(10_000, 1)] });
    expectOffsets(all(load), [0, 1_000, 2_000, 8_000, 9_000]);
  });

  test('after the last phase its final rate holds until `calls` have arrived', () => {
    expectOffsets(all(makeLoad({ calls: 6, phases: [phase(1_000, 2)] })), [0, 500, 1_000, 1_500, 2_000, 2_500]);
    // 1/s → 3/s over 2 s: Λ(t) = t + t²/2 = 4 at the end, call k at −1 + √(1 + 2k) s; then 3/s.
    expectOffsets(all(makeLoad({ calls: 6, phases: [phase(2_000, 1, 3)] })), [0, 732.050808, 1_236.067977, 1_645.751311, 2_000, 2_333.333333]);
  });

  test('stops at `calls` and at maxDuration (a call due exactly at the cap is not placed)', () => {
    expect(all(makeLoad({ calls: 7, phases: [phase(60_000, 10)] }))).toHaveLength(7);
    const capped = all(makeLoad({ calls: 1_000, phases: [phase(600_000, 10)], maxDurationMs: 5_000 }));
    expect(capped).toHaveLength(50);
    expect(capped[49]).toBeCloseTo(4_900, 6);
  });

  test('countArrivals is the number of calls actually placed', () => {
    expect(countArrivals(makeLoad({ calls: 7, phases: [phase(60_000, 10)] }))).toBe(7);
    expect(countArrivals(makeLoad({ calls: 1_000, phases: [phase(600_000, 10)], maxDurationMs: 5_000 }))).toBe(50);
    expect(countArrivals(makeLoad({ calls: 500, phases: [phase(10_000, 10, 0)] }))).toBe(50);
  });

  test('1000 calls/s: one per ms, exactly', () => {
    const offsets = all(makeLoad({ calls: 5_000, phases: [phase(60_000, 1000)] }));
    expect(offsets).toHaveLength(5_000);
    offsets.forEach((value, k) => expect(Math.abs(value - k)).toBeLessThan(1e-6));
  });

  test('no accumulated error: after 10 minutes at 10/s the 6000th call is due at 599.9 s', () => {
    const offsets = all(makeLoad({ calls: 6_000, phases: [phase(30_000, 1, 10), phase(600_000, 10)] }));
    // 165 calls in the ramp; from then on one every 100 ms from the ramp's end.
    expect(offsets[5_999]).toBeCloseTo(30_000 + (5_999 - 165) * 100, 6);
    const steady = all(makeLoad({ calls: 6_000, phases: [phase(600_000, 10)] }));
    expect(steady[5_999]).toBe(599_900);
  });

  test('an empty or all-zero schedule places nothing', () => {
    expect(all(makeLoad({ calls: 5, phases: [] }))).toEqual([]);
    expect(all(makeLoad({ calls: 5, phases: [phase(10_000, 0)] }))).toEqual([]);
    expect(all(makeLoad({ calls: 0 }))).toEqual([]);
  });

  test('is lazy: taking a few arrivals of a million does not compute the rest', () => {
    const iterator = arrivalOffsets(makeLoad({ calls: 1_000_000, phases: [phase(1_000_000, 1000)] }));
    expect(iterator.next().value).toBe(0);
    expect(iterator.next().value).toBeCloseTo(1, 9);
    expect(iterator.return(undefined).done).toBe(true);
  });
});

describe('poisson arrivals', () => {
  test('the same seed gives the same times, another seed other times', () => {
    const load = makeLoad({ calls: 200, arrivals: 'poisson', phases: [phase(60_000, 10)] });
    expect(all(load, 1)).toEqual(all(load, 1));
    expect(all(load, 1)).not.toEqual(all(load, 2));
    expect(all(load)).toEqual(all(load, load.seed));
  });

  test('constant rate: mean gap 1/rate and Poisson counts per second', () => {
    const rate = 10;
    const offsets = all(makeLoad({ calls: 20_000, arrivals: 'poisson', phases: [phase(10_000_000, rate)] }), 7);
    expect(offsets).toHaveLength(20_000);
    for (let i = 1; i < offsets.length; i++) expect(offsets[i]!).toBeGreaterThanOrEqual(offsets[i - 1]!);
    const meanGapMs = offsets[offsets.length - 1]! / (offsets.length - 1);
    expect(Math.abs(meanGapMs - 100) / 100).toBeLessThan(0.03);
    // Poisson: the variance of per-second counts equals their mean.
    const seconds = Math.floor(offsets[offsets.length - 1]! / 1000);
    const perSecond = new Array<number>(seconds).fill(0);
    for (const t of offsets) if (t < seconds * 1000) perSecond[Math.floor(t / 1000)]!++;
    const mean = perSecond.reduce((a, b) => a + b, 0) / seconds;
    const variance = perSecond.reduce((a, b) => a + (b - mean) ** 2, 0) / seconds;
    expect(Math.abs(mean - rate) / rate).toBeLessThan(0.03);
    expect(variance / mean).toBeGreaterThan(0.85);
    expect(variance / mean).toBeLessThan(1.15);
  });

  test('a ramp gets denser as it climbs: arrivals follow Λ, not the start rate', () => {
    // 0 → 100/s over 100 s: Λ(100 s) = 5000, Λ(50 s) = 1250.
    const offsets = all(makeLoad({ calls: 100_000, arrivals: 'poisson', phases: [phase(100_000, 0, 100)], maxDurationMs: 100_000 }), 3);
    expect(Math.abs(offsets.length - 5_000)).toBeLessThan(250);
    const firstHalf = offsets.filter((t) => t < 50_000).length;
    expect(Math.abs(firstHalf - 1_250)).toBeLessThan(120);
  });
});

describe('expected arrivals (target pacing)', () => {
  const load = makeLoad({ calls: 1_000, phases: [phase(10_000, 0, 10), phase(20_000, 10)], maxDurationMs: 3_600_000 });
  const line = timeline(load);

  test('integrates the rate: constant, ramp, across phases', () => {
    expect(expectedArrivals(load, 0, 10_000)).toBeCloseTo(50, 9);
    expect(expectedArrivals(load, 0, 5_000)).toBeCloseTo(12.5, 9);
    expect(expectedArrivals(load, 5_000, 15_000)).toBeCloseTo(37.5 + 50, 9);
    expect(expectedArrivals(load, 10_000, 30_000)).toBeCloseTo(200, 9);
    expect(expectedArrivals(load, 30_000, 31_000)).toBeCloseTo(10, 9);
    expect(expectedArrivals(load, 2_000, 1_000)).toBe(0);
    expect(cumulativeCount(line, 30_000)).toBeCloseTo(250, 9);
  });

  test('stops at calls and at the duration cap', () => {
    // 250 by 30 s, then 10/s: 1000 reached at 105 s.
    expect(expectedArrivals(load, 0, 200_000)).toBe(1_000);
    expect(expectedScheduleEndMs(load)).toBeCloseTo(105_000, 6);
    expect(expectedRateAt(load, 104_000)).toBe(10);
    expect(expectedRateAt(load, 106_000)).toBe(0);
    const capped = { ...load, maxDurationMs: 20_000 };
    expect(expectedArrivals(capped, 0, 60_000)).toBeCloseTo(150, 9);
    expect(expectedRateAt(capped, 20_000)).toBe(0);
    expect(expectedScheduleEndMs(capped)).toBe(20_000);
  });

  test('the rate at a time is the phase rate (ramps interpolate)', () => {
    expect(expectedRateAt(load, 0)).toBe(0);
    expect(expectedRateAt(load, 2_500)).toBeCloseTo(2.5, 9);
    expect(expectedRateAt(load, 10_000)).toBe(10);
    expect(expectedRateAt(load, -1)).toBe(0);
  });

  test('timeForCount inverts cumulativeCount', () => {
    for (const count of [0.5, 12.5, 49.99, 50, 120, 250, 600]) {
      expect(cumulativeCount(line, timeForCount(line, count)!)).toBeCloseTo(count, 6);
    }
    expect(timeForCount(timeline(makeLoad({ phases: [phase(1_000, 1, 0)] })), 5)).toBeUndefined();
  });

  test('uniform arrivals match the expectation to within one call at every second', () => {
    const offsets = all(load);
    for (let s = 0; s <= 110; s++) {
      const placed = offsets.filter((t) => t < s * 1000).length;
      expect(Math.abs(placed - expectedArrivals(load, 0, s * 1000))).toBeLessThan(1);
    }
  });
});
