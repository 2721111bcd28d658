import { describe, expect, test } from 'vitest';
import { callId, createMixPicker, createPlan } from '../../src/plan/plan.js';
import type { CallJob } from '../../src/plan/types.js';
import type { Spec } from '../../src/spec/types.js';
import { makeLoad, makeScenario, makeSpec, makeVariant, phase } from '../support/spec-fixture.js';

function take<T>(iterable: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const item of iterable) {
    if (out.length >= n) break;
    out.push(item);
  }
  return out;
}

const abSpec = (overrides: Parameters<typeof makeLoad>[0] = {}): Spec =>
  makeSpec({
    load: makeLoad({ calls: 500, phases: [phase(60_000, 10)], ...overrides }),
    scenarios: [makeScenario('scheduling', 3), makeScenario('refill', 1), makeScenario('cancel', 1)],
    variants: [makeVariant('prompt-v1', 50), makeVariant('prompt-v2', 50)],
  });

describe('createPlan', () => {
  test('jobs carry ids, scenario and variant names matching their indexes, and due times', () => {
    const spec = abSpec();
    const jobs = [...createPlan(spec)];
    expect(jobs).toHaveLength(500);
    jobs.forEach((job, i) => {
      expect(job.index).toBe(i);
      expect(job.id).toBe(callId(i));
      expect(job.scenario).toBe(spec.scenarios[job.scenarioIndex]!.name);
      expect(job.variant).toBe(spec.variants[job.variantIndex]!.name);
      expect(job.persona.id).toBe(`p-${String(i).padStart(6, '0')}`);
      expect(job.dueOffsetMs).toBeCloseTo(i * 100, 6);
      expect(Number.isInteger(job.callSeed) && job.callSeed >= 0 && job.callSeed < 2 ** 32).toBe(true);
    });
    expect(callId(42)).toBe('c-000042');
    expect(callId(1_234_567)).toBe('c-1234567');
  });

  test('the same spec and seed give the same jobs; another seed other jobs', () => {
    expect([...createPlan(abSpec())]).toEqual([...createPlan(abSpec())]);
    const a = [...createPlan(abSpec({ seed: 1 }))].map((j) => [j.scenario, j.variant, j.persona.fields, j.callSeed]);
    const b = [...createPlan(abSpec({ seed: 2 }))].map((j) => [j.scenario, j.variant, j.persona.fields, j.callSeed]);
    expect(a).not.toEqual(b);
  });

  test('jobs are plain data that survive structured cloning into a worker thread', () => {
    for (const job of take(createPlan(abSpec()), 5)) expect(structuredClone(job)).toEqual(job);
  });

  test('iterating the plan again starts over with the same jobs', () => {
    const plan = createPlan(abSpec());
    expect(take(plan, 20)).toEqual(take(plan, 20));
  });

  test('job i is the same whether read from the start or from near i (uniform and poisson)', () => {
    for (const arrivals of ['uniform', 'poisson'] as const) {
      const spec = abSpec({ arrivals });
      const full = [...createPlan(spec)];
      const around = [...createPlan(spec, { startIndex: 297, endIndex: 303 })];
      expect(around.map((j) => j.index)).toEqual([297, 298, 299, 300, 301, 302]);
      expect(around).toEqual(full.slice(297, 303));
    }
  });

  test("a call's picks do not depend on the load shape or on how many calls come before", () => {
    const few = [...createPlan(abSpec({ calls: 50 }))];
    const many = take(createPlan(abSpec({ calls: 5_000, phases: [phase(1_000, 1000)], arrivals: 'poisson' })), 50);
    const picks = (jobs: CallJob[]) => jobs.map(({ scenario, variant, persona, callSeed }) => ({ scenario, variant, persona, callSeed }));
    expect(picks(many)).toEqual(picks(few));
  });

  test('realised mix follows the weights within tolerance over many calls', () => {
    const spec = abSpec({ calls: 30_000, phases: [phase(60_000, 1000)] });
    const pick = createMixPicker(spec);
    const scenarioCounts = [0, 0, 0];
    const variantCounts = [0, 0];
    for (let i = 0; i < spec.load.calls; i++) {
      const { scenarioIndex, variantIndex } = pick(i);
      scenarioCounts[scenarioIndex]!++;
      variantCounts[variantIndex]!++;
    }
    const n = spec.load.calls;
    expect(Math.abs(scenarioCounts[0]! / n - 0.6)).toBeLessThan(0.015);
    expect(Math.abs(scenarioCounts[1]! / n - 0.2)).toBeLessThan(0.015);
    expect(Math.abs(scenarioCounts[2]! / n - 0.2)).toBeLessThan(0.015);
    expect(Math.abs(variantCounts[0]! / n - 0.5)).toBeLessThan(0.015);
  });

  test('a zero-weight scenario is never planned', () => {
    const spec = makeSpec({ load: makeLoad({ calls: 2_000, phases: [phase(10_000, 1000)] }), scenarios: [makeScenario('a', 1), makeScenario('never', 0)] });
    expect([...createPlan(spec)].every((j) => j.scenario === 'a')).toBe(true);
  });

  test('the plan ends early when arrivals stop (duration cap, final rate zero)', () => {
    expect([...createPlan(abSpec({ calls: 1_000, maxDurationMs: 2_000 }))]).toHaveLength(20);
    expect([...createPlan(abSpec({ calls: 1_000, phases: [phase(10_000, 2, 0)] }))]).toHaveLength(10);
  });

  test('is lazy: a million-call plan yields its first jobs without building the rest', () => {
    const spec = abSpec({ calls: 1_000_000, phases: [phase(1_000_000, 1000)] });
    const iterator = createPlan(spec)[Symbol.iterator]();
    const first = iterator.next();
    expect(first.done).toBe(false);
    expect((first.value as CallJob).index).toBe(0);
    const next10 = Array.from({ length: 10 }, () => iterator.next().value as CallJob);
    expect(next10.map((j) => j.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // A generator: ending it early is allowed and final.
    expect(iterator.return?.(undefined).done).toBe(true);
    expect(iterator.next().done).toBe(true);
    // Reading from the middle does not materialise the earlier jobs either.
    expect(take(createPlan(spec, { startIndex: 999_990 }), 3).map((j) => j.id)).toEqual(['c-999990', 'c-999991', 'c-999992']);
  });
});
