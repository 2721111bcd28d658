/**
 * A/B comparison of variants. Each variant is compared with the spec's first one:
 * - failure rate, (failed + errored) / started, with a two-proportion z-test;
 * - response time with a Mann-Whitney U rank test (normal approximation, tie and
 *   continuity corrected) on each call's mean response time. The call, not the turn, is
 *   the unit: turns of one call share a line and a persona, so they are not independent.
 * Both are two-sided at α = 0.05. With fewer than MIN_PER_SIDE calls on a side nothing is
 * claimed: the p-value is null and the difference is not called significant.
 */
import { errorFunction, median } from 'simple-statistics';
import type { AbTestResult, AbTestSummary } from '../metrics/summary.js';
import type { CallOutcome } from '../results/types.js';

export const AB_ALPHA = 0.05;
const MIN_PER_SIDE = 5;

interface VariantSamples {
  started: number;
  failures: number;
  /** Mean response time of each call that got at least one reply, ms. */
  readonly callResponseMs: number[];
}

function normalCdf(x: number): number {
  return 0.5 * (1 + errorFunction(x / Math.SQRT2));
}

function twoSidedP(z: number): number {
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
}

export function twoProportionTest(failuresA: number, nA: number, failuresB: number, nB: number, alpha = AB_ALPHA): AbTestResult {
  const base = { test: 'two-proportion z' as const, baseline: nA ? failuresA / nA : 0, variant: nB ? failuresB / nB : 0, baselineN: nA, variantN: nB };
  if (nA < MIN_PER_SIDE || nB < MIN_PER_SIDE) return { ...base, pValue: null, significant: false, note: `too few calls to test (need ${MIN_PER_SIDE} per variant)` };
  const pooled = (failuresA + failuresB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  // Both sides all-passing (or all-failing): no difference to test.
  const pValue = se === 0 ? 1 : twoSidedP((base.variant - base.baseline) / se);
  const expectedFailures = Math.min(nA, nB) * pooled;
  return {
    ...base,
    pValue,
    significant: pValue < alpha,
    ...(se > 0 && expectedFailures < 5 ? { note: 'few failures: the normal approximation is rough' } : {}),
  };
}

/** Ranks 1..n with ties given their average rank; returns the rank sum of `a` and the tie term Σ(t³ − t). */
function rankSum(a: readonly number[], b: readonly number[]): { rankSumA: number; tieTerm: number } {
  const all = [...a.map((value) => ({ value, fromA: true })), ...b.map((value) => ({ value, fromA: false }))].sort((x, y) => x.value - y.value);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.value === all[i]!.value) j += 1;
    const rank = (i + j + 2) / 2;
    const ties = j - i + 1;
    tieTerm += ties ** 3 - ties;
    for (let k = i; k <= j; k += 1) if (all[k]!.fromA) rankSumA += rank;
    i = j + 1;
  }
  return { rankSumA, tieTerm };
}

export function mannWhitneyTest(a: readonly number[], b: readonly number[], alpha = AB_ALPHA): AbTestResult {
  const base = { test: 'Mann-Whitney U' as const, baseline: a.length ? median([...a]) : 0, variant: b.length ? median([...b]) : 0, baselineN: a.length, variantN: b.length };
  if (a.length < MIN_PER_SIDE || b.length < MIN_PER_SIDE) return { ...base, pValue: null, significant: false, note: `too few calls to test (need ${MIN_PER_SIDE} per variant)` };
  const n1 = a.length;
  const n2 = b.length;
  const n = n1 + n2;
  const { rankSumA, tieTerm } = rankSum(a, b);
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { ...base, pValue: 1, significant: false };
  const distance = Math.max(0, Math.abs(u - mean) - 0.5);
  const pValue = twoSidedP(distance / Math.sqrt(variance));
  return { ...base, pValue, significant: pValue < alpha };
}

/** Gathers what the A/B tests need, call by call. */
export class AbCollector {
  private readonly variants = new Map<string, VariantSamples>();

  add(outcome: CallOutcome): void {
    if (outcome.status === 'dropped') return;
    let samples = this.variants.get(outcome.variant);
    if (!samples) {
      samples = { started: 0, failures: 0, callResponseMs: [] };
      this.variants.set(outcome.variant, samples);
    }
    samples.started += 1;
    if (outcome.status !== 'passed') samples.failures += 1;
    const times = outcome.turns.flatMap((t) => (t.responseMs === undefined ? [] : [t.responseMs]));
    if (times.length > 0) samples.callResponseMs.push(times.reduce((x, y) => x + y, 0) / times.length);
  }

  /** Compares every variant with the first of `order` (the spec's variants); undefined with fewer than two. */
  summarize(order: readonly string[], alpha = AB_ALPHA): AbTestSummary | undefined {
    if (order.length < 2) return undefined;
    const [baseline, ...others] = order as [string, ...string[]];
    const empty: VariantSamples = { started: 0, failures: 0, callResponseMs: [] };
    const a = this.variants.get(baseline) ?? empty;
    return {
      alpha,
      baseline,
      comparisons: others.map((variant) => {
        const b = this.variants.get(variant) ?? empty;
        return {
          variant,
          failureRate: twoProportionTest(a.failures, a.started, b.failures, b.started, alpha),
          responseTime: mannWhitneyTest(a.callResponseMs, b.callResponseMs, alpha),
        };
      }),
    };
  }
}
