/**
 * The seeded randomness behind every choice loadspec makes: scenario and variant picks,
 * persona values, poisson gaps, and each call's own seed (sim latencies, jitter).
 *
 * Determinism rule: a call's randomness depends only on (run seed, stream, call index),
 * never on how many calls were generated before it or on which thread asks. So instead of
 * one generator shared by the whole run, each (stream, index) pair gets its own generator,
 * seeded by hashing the three together (`deriveSeed`). Adding a persona field, or running
 * with 8 threads instead of 2, therefore changes nothing else.
 *
 * The generator is pure-rand's xoroshiro128plus, seeded with four 32-bit words expanded
 * from the seed with a splitmix-style hash (the library's own `xoroshiro128plus(seed)`
 * leaves half the state constant, and its first output is just `~seed`).
 */
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export interface Rng {
  /** Uniform in [0, 1), 53 bits. */
  float(): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** One element of a non-empty list, uniformly. */
  pick<T>(values: readonly T[]): T;
  /** A fresh seed for a sub-generator (e.g. a call's own randomness). */
  seed(): number;
}

/** Named streams, so two purposes never share random numbers. */
export const STREAM = {
  scenario: 1,
  variant: 2,
  persona: 3,
  call: 4,
  arrival: 5,
} as const;
export type StreamName = keyof typeof STREAM;

/** murmur3's 32-bit finalizer: every input bit flips each output bit with ~50% odds. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Splits any safe integer (negative or above 2^32) into two 32-bit words. */
function words(value: number): [number, number] {
  const int = Math.trunc(value);
  const low = int >>> 0;
  const high = Math.floor(int / 0x1_0000_0000) >>> 0;
  return [low, high];
}

/** FNV-1a, for stream names given as strings (persona field names). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A 32-bit seed for (run seed, stream, index). Pure: the same three inputs always give the
 * same seed, and neighbouring indexes give unrelated seeds.
 */
export function deriveSeed(runSeed: number, stream: StreamName | number | string, index: number): number {
  const streamId = typeof stream === 'number' ? stream >>> 0 : typeof stream === 'string' && stream in STREAM ? STREAM[stream as StreamName] : hashString(String(stream));
  const [seedLow, seedHigh] = words(runSeed);
  const [indexLow, indexHigh] = words(index);
  let h = fmix32(seedLow ^ 0x9e3779b9);
  h = fmix32(h ^ seedHigh ^ 0x7f4a7c15);
  h = fmix32(h ^ Math.imul(streamId, 0x27d4eb2f));
  h = fmix32(h ^ indexLow);
  h = fmix32(h ^ Math.imul(indexHigh + 1, 0x165667b1));
  return h;
}

function stateFromSeed(seed: number): number[] {
  // splitmix32-style expansion: four well-mixed, never-all-zero words.
  const state: number[] = [];
  let x = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    state.push(fmix32(x) | 0);
  }
  if (state.every((w): boolean => w === 0)) state[0] = 1;
  return state;
}

/** A generator for one purpose; see `deriveSeed` for how purposes get their own seeds. */
export function createRng(seed: number): Rng {
  const generator: RandomGenerator = xoroshiro128plusFromState(stateFromSeed(seed));
  return {
    float: () => uniformFloat64(generator),
    int: (min, max) => uniformInt(generator, min, max),
    pick<T>(values: readonly T[]): T {
      if (values.length === 0) throw new RangeError('pick from an empty list');
      return values[uniformInt(generator, 0, values.length - 1)] as T;
    },
    seed: () => generator.next() >>> 0,
  };
}

/** Shorthand: the generator for (run seed, stream, index). */
export function rngFor(runSeed: number, stream: StreamName | string, index: number): Rng {
  return createRng(deriveSeed(runSeed, stream, index));
}

/**
 * Weighted choice by cumulative weights, built once and used for every call. Zero weights
 * are never picked; the weights need not sum to 1.
 */
export class WeightedTable {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((weight, i) => {
      if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`weight ${i} is ${weight}; weights must be finite and >= 0`);
      sum += weight;
      this.cumulative[i] = sum;
    });
    if (!(sum > 0)) throw new RangeError('weights sum to zero');
    this.total = sum;
  }

  /** The index chosen by `u` uniform in [0, 1). */
  indexFor(u: number): number {
    const target = u * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    // First index whose cumulative weight exceeds the target (binary search: specs may list many).
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.cumulative[mid] as number) > target) high = mid;
      else low = mid + 1;
    }
    // Rounding can land on a trailing zero weight; step back to the last real one.
    while (low > 0 && this.cumulative[low] === this.cumulative[low - 1]) low--;
    return low;
  }

  pick(rng: Rng): number {
    return this.indexFor(rng.float());
  }
}
