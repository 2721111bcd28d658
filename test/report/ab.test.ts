import { describe, expect, it } from 'vitest';
import { AbCollector, mannWhitneyTest, twoProportionTest } from '../../src/report/ab.js';
import { abOutcomes, outcome } from '../support/report-fixtures.js';

// Reference p-values from SciPy 1.17 (mannwhitneyu, asymptotic, continuity-corrected; a
// pooled two-proportion z-test with norm.sf).
describe('A/B significance tests', () => {
  it('matches SciPy for the Mann-Whitney U test, with and without ties', () => {
    const a = [310, 295, 402, 388, 350, 333, 301, 420, 377, 365, 299];
    const b = [405, 398, 455, 512, 388, 430, 470, 401, 377, 480];
    const result = mannWhitneyTest(a, b);
    expect(result.pValue).toBeCloseTo(0.002175472107233144, 5);
    expect(result).toMatchObject({ significant: true, baselineN: 11, variantN: 10, baseline: 350, variant: 417.5 });
    const tied = mannWhitneyTest([1, 2, 2, 3, 3, 3, 4, 5], [3, 4, 4, 5, 6, 6, 7]);
    expect(tied.pValue).toBeCloseTo(0.015984685125196244, 5);
  });

  it('matches the pooled two-proportion z-test', () => {
    const result = twoProportionTest(30, 200, 15, 200);
    expect(result.pValue).toBeCloseTo(0.01761737223451881, 5);
    expect(result).toMatchObject({ baseline: 0.15, variant: 0.075, significant: true });
    expect(twoProportionTest(0, 50, 0, 50)).toMatchObject({ pValue: 1, significant: false });
    expect(twoProportionTest(10, 100, 11, 100).significant).toBe(false);
  });

  it('claims nothing with too few calls', () => {
    expect(twoProportionTest(1, 3, 0, 4)).toMatchObject({ pValue: null, significant: false });
    expect(mannWhitneyTest([1, 2], [3, 4, 5, 6, 7]).note).toMatch(/too few calls/);
  });

  it('compares every variant with the first, per call', () => {
    const collector = new AbCollector();
    for (const o of abOutcomes()) collector.add(o);
    const ab = collector.summarize(['prompt-v1', 'prompt-v2'])!;
    expect(ab.baseline).toBe('prompt-v1');
    expect(ab.alpha).toBe(0.05);
    const [cmp] = ab.comparisons;
    expect(cmp!.variant).toBe('prompt-v2');
    // prompt-v2 answers ~220 ms slower on every call: unmistakable at 39 vs 40 calls.
    expect(cmp!.responseTime).toMatchObject({ significant: true, baselineN: 39, variantN: 40 });
    expect(cmp!.responseTime.pValue!).toBeLessThan(1e-6);
    expect(cmp!.responseTime.variant - cmp!.responseTime.baseline).toBeGreaterThan(150);
    expect(cmp!.failureRate).toMatchObject({ baseline: 2 / 39, variant: 8 / 40, baselineN: 39, variantN: 40 });
    expect(collector.summarize(['default'])).toBeUndefined();
  });

  it('finds no difference between identical variants', () => {
    const collector = new AbCollector();
    for (let i = 0; i < 60; i += 1) collector.add(outcome({ index: i, variant: i % 2 ? 'b' : 'a', responseMs: [300 + ((i >> 1) % 10) * 7] }));
    const [cmp] = collector.summarize(['a', 'b'])!.comparisons;
    expect(cmp!.responseTime.significant).toBe(false);
    expect(cmp!.failureRate).toMatchObject({ pValue: 1, significant: false });
  });
});
