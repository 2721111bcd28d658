import { describe, expect, it } from 'vitest';
import { newHistogram, trendStats } from '../../src/metrics/histogram.js';
import { createRng } from '../../src/plan/prng.js';

function exactPercentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('trend percentiles', () => {
  it('are within half a bucket of the exact value just under 1 s, not a whole bucket above it', () => {
    const rng = createRng(11);
    const valuesUs: number[] = [];
    const h = newHistogram();
    let sumUs = 0;
    for (let i = 0; i < 20_000; i++) {
      const us = 950_000 + Math.floor(rng.float() * 90_000);
      valuesUs.push(us);
      h.recordValue(us);
      sumUs += us;
    }
    valuesUs.sort((a, b) => a - b);
    const stats = trendStats(h, { sumUs, minUs: valuesUs[0]!, maxUs: valuesUs.at(-1)! });
    // Buckets are 512 µs wide from 524,288 to 1,048,576 µs (three significant digits); the top of a bucket can be
    // 0.51 ms off, its middle at most 0.26 ms.
    for (const [p, reported] of [[50, stats.p50], [90, stats.p90], [95, stats.p95], [99, stats.p99]] as const) {
      expect(Math.abs(reported - exactPercentile(valuesUs, p) / 1000), `p${p}`).toBeLessThanOrEqual(0.26);
    }
    expect(stats.max).toBe(valuesUs.at(-1)! / 1000);
  });

  it('err on both sides: no bias towards the top of the bucket', () => {
    const rng = createRng(12);
    const h = newHistogram();
    const valuesUs: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const us = 950_000 + Math.floor(rng.float() * 90_000);
      valuesUs.push(us);
      h.recordValue(us);
    }
    valuesUs.sort((a, b) => a - b);
    const h2 = h as unknown as { medianEquivalentValue(v: number): number };
    let signedSumMs = 0;
    for (let p = 1; p <= 99; p++) signedSumMs += (h2.medianEquivalentValue(h.getValueAtPercentile(p)) - exactPercentile(valuesUs, p)) / 1000;
    // The top of the bucket would average about +0.25 ms.
    expect(Math.abs(signedSumMs / 99)).toBeLessThan(0.08);
    const stats = trendStats(h, { sumUs: valuesUs.reduce((a, b) => a + b, 0), minUs: valuesUs[0]!, maxUs: valuesUs.at(-1)! });
    expect(stats.p50).toBe(h2.medianEquivalentValue(h.getValueAtPercentile(50)) / 1000);
  });
});
