import { describe, expect, test } from 'vitest';
import { createRng, deriveSeed, rngFor, WeightedTable } from '../../src/plan/prng.js';

describe('createRng', () => {
  test('the same seed gives the same sequence, another seed another', () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return [rng.float(), rng.int(1, 1000), rng.pick(['a', 'b', 'c', 'd']), rng.seed()];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  test('float stays in [0, 1) and int in its inclusive range', () => {
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 5_000; i++) {
      const f = rng.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      const n = rng.int(-2, 2);
      expect(n).toBeGreaterThanOrEqual(-2);
      expect(n).toBeLessThanOrEqual(2);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2].sort());
  });

  test('pick refuses an empty list', () => {
    expect(() => createRng(1).pick([])).toThrow(RangeError);
  });

  test('floats are spread evenly (mean and deciles)', () => {
    const rng = createRng(123);
    const n = 50_000;
    const deciles = new Array<number>(10).fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const f = rng.float();
      sum += f;
      deciles[Math.floor(f * 10)]!++;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    for (const count of deciles) expect(Math.abs(count - n / 10)).toBeLessThan(n / 100 * 1.5);
  });
});

describe('deriveSeed', () => {
  test('is a pure function of (run seed, stream, index)', () => {
    expect(deriveSeed(42, 'scenario', 7)).toBe(deriveSeed(42, 'scenario', 7));
    expect(deriveSeed(42, 'scenario', 7)).not.toBe(deriveSeed(42, 'variant', 7));
    expect(deriveSeed(42, 'scenario', 7)).not.toBe(deriveSeed(42, 'scenario', 8));
    expect(deriveSeed(42, 'scenario', 7)).not.toBe(deriveSeed(43, 'scenario', 7));
  });

  test('separates seeds and indexes beyond 32 bits, and negative seeds', () => {
    expect(deriveSeed(2 ** 32 + 5, 'call', 0)).not.toBe(deriveSeed(5, 'call', 0));
    expect(deriveSeed(5, 'call', 2 ** 32)).not.toBe(deriveSeed(5, 'call', 0));
    expect(deriveSeed(-1, 'call', 0)).not.toBe(deriveSeed(1, 'call', 0));
    expect(Number.isInteger(deriveSeed(-1, 'call', 0))).toBe(true);
  });

  test('gives distinct seeds to neighbouring indexes', () => {
    const seeds = new Set<number>();
    for (let i = 0; i < 100_000; i++) seeds.add(deriveSeed(42, 'call', i));
    // 32-bit seeds: a handful of birthday collisions at most.
    expect(seeds.size).toBeGreaterThan(99_990);
  });

  test('first draws of neighbouring indexes are uncorrelated', () => {
    const n = 20_000;
    let sumXY = 0;
    let previous = rngFor(9, 'scenario', 0).float();
    for (let i = 1; i <= n; i++) {
      const next = rngFor(9, 'scenario', i).float();
      sumXY += (previous - 0.5) * (next - 0.5);
      previous = next;
    }
    // Correlation of independent uniforms: |r| ~ 1/sqrt(n) ≈ 0.007.
    expect(Math.abs(sumXY / n / (1 / 12))).toBeLessThan(0.03);
  });
});

describe('WeightedTable', () => {
  test('maps u to indexes by cumulative weight and never picks a zero weight', () => {
    const table = new WeightedTable([1, 0, 3, 0]);
    expect(table.total).toBe(4);
    expect(table.indexFor(0)).toBe(0);
    expect(table.indexFor(0.2499)).toBe(0);
    expect(table.indexFor(0.25)).toBe(2);
    expect(table.indexFor(0.9999999)).toBe(2);
    expect(table.indexFor(1)).toBe(2);
  });

  test('rejects weights that sum to zero or are negative', () => {
    expect(() => new WeightedTable([0, 0])).toThrow(/zero/);
    expect(() => new WeightedTable([1, -1])).toThrow(/>= 0/);
    expect(() => new WeightedTable([])).toThrow(/zero/);
  });

  test('picks by weight within tolerance', () => {
    const table = new WeightedTable([5, 3, 2]);
    const counts = [0, 0, 0];
    const n = 40_000;
    for (let i = 0; i < n; i++) counts[table.pick(rngFor(1, 'variant', i))]!++;
    expect(counts[0]! / n).toBeCloseTo(0.5, 1);
    expect(Math.abs(counts[0]! / n - 0.5)).toBeLessThan(0.015);
    expect(Math.abs(counts[1]! / n - 0.3)).toBeLessThan(0.015);
    expect(Math.abs(counts[2]! / n - 0.2)).toBeLessThan(0.015);
  });
});
