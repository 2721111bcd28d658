import { describe, expect, test } from 'vitest';
import { planSummary, countMix } from '../../src/plan/summary.js';
import { renderPlanJson, renderPlanText } from '../../src/plan/render.js';
import { createPlan } from '../../src/plan/plan.js';
import { makeLoad, makePersonas, makeScenario, makeSpec, makeVariant, phase } from '../support/spec-fixture.js';
import type { Spec } from '../../src/spec/types.js';

const abSpec = (seed = 42, calls = 600): Spec =>
  makeSpec({
    load: makeLoad({ calls, concurrency: 100, seed, arrivals: 'poisson', phases: [phase(30_000, 1, 10, 'warm-up'), phase(60_000, 10)] }),
    scenarios: [makeScenario('scheduling', 3), makeScenario('refill', 1), makeScenario('cancel', 1)],
    variants: [makeVariant('prompt-v1', 50), makeVariant('prompt-v2', 50)],
  });

describe('planSummary', () => {
  test('the mix is exactly what the plan places, cell by cell', () => {
    const spec = abSpec();
    const summary = planSummary(spec);
    const counted = new Map<string, number>();
    for (const job of createPlan(spec)) counted.set(`${job.scenario}/${job.variant}`, (counted.get(`${job.scenario}/${job.variant}`) ?? 0) + 1);
    expect(summary.mix.cells).toHaveLength(6);
    for (const cell of summary.mix.cells) {
      expect(cell.count).toBe(counted.get(`${cell.scenario}/${cell.variant}`) ?? 0);
      expect(cell.share).toBeCloseTo(cell.count / 600, 6);
    }
    expect(summary.mix.scenarios.reduce((a, s) => a + s.count, 0)).toBe(600);
    expect(summary.mix.variants.reduce((a, s) => a + s.count, 0)).toBe(600);
    expect(summary.mix.scenarios.map((s) => [s.name, s.weight])).toEqual([['scheduling', 3], ['refill', 1], ['cancel', 1]]);
  });

  test('the same seed gives the same summary and output, another seed another mix', () => {
    expect(planSummary(abSpec(7))).toEqual(planSummary(abSpec(7)));
    expect(renderPlanText(planSummary(abSpec(7)), 'x.yaml')).toBe(renderPlanText(planSummary(abSpec(7)), 'x.yaml'));
    expect(planSummary(abSpec(7)).mix.cells).not.toEqual(planSummary(abSpec(8)).mix.cells);
  });

  test('samples are the first calls of the plan, as many as asked and no more than planned', () => {
    const spec = abSpec();
    const first = [...createPlan(spec, { endIndex: 5 })];
    const summary = planSummary(spec, { samples: 5 });
    expect(summary.samples.map((s) => [s.callId, s.scenario, s.variant, s.persona])).toEqual(first.map((j) => [j.id, j.scenario, j.variant, j.persona]));
    expect(planSummary(spec).samples).toHaveLength(3);
    expect(planSummary(spec, { samples: 0 }).samples).toEqual([]);
    expect(planSummary(abSpec(42, 2), { samples: 10 }).samples).toHaveLength(2);
  });

  test('counts a million-call mix', () => {
    const spec = makeSpec({ load: makeLoad({ calls: 1_000_000, phases: [phase(1_000_000, 1000)] }) });
    const mix = countMix(spec, 1_000_000);
    expect(mix.scenarios[0]!.count + mix.scenarios[1]!.count).toBe(1_000_000);
    expect(Math.abs(mix.scenarios[0]!.share - 0.75)).toBeLessThan(0.002);
  });

  test('warns about scenarios and variants that get no calls, and about segments', () => {
    const spec = makeSpec({
      scenarios: [makeScenario('main', 1), makeScenario('off', 0)],
      variants: [makeVariant('a', 1), makeVariant('b', 0)],
      personas: makePersonas({ segmentBy: 'clinic' }),
    });
    expect(planSummary(spec).warnings.map((w) => w.message)).toEqual([
      'scenario off gets no calls with this seed (its weight is 0)',
      'variant b gets no calls with this seed (its weight is 0)',
      'personas.segmentBy names clinic, which no persona field or CSV column provides: every call is in segment ""',
    ]);
    const wide = planSummary(makeSpec({ personas: makePersonas({ segmentBy: 'dob' }) }));
    expect(wide.segments).toMatchObject({ field: 'dob', overflows: true });
    expect(wide.warnings.map((w) => w.code)).toEqual(['segment_overflow']);
  });
});

describe('plan output', () => {
  const text = renderPlanText(planSummary(abSpec()), 'specs/peak.yaml');

  test('text shows the phases, the arrivals, concurrency, the mix, samples and warnings', () => {
    expect(text).toContain('Plan for fixture (specs/peak.yaml), seed 42, sim driver');
    expect(text).toMatch(/warm-up\s+0s\s+30s\s+1\/s → 10\/s\s+165\s+\d+/);
    expect(text).toMatch(/phase 2\s+30s\s+90s\s+10\/s\s+435\s+\d+/);
    expect(text).toContain('600 of 600 calls placed; scheduling is expected to end at 73.5s');
    expect(text).toContain('Expected arrivals per second (one column per 2s, peak 10/s)');
    expect(text).toContain('expected call length 1s (sim latency p50 300ms + reply 200ms per turn)');
    expect(text).toContain('expected peak concurrency 10 of a cap of 100 (within the cap)');
    expect(text).toMatch(/scheduling\s+prompt-v1\s+\d+\s+\d+\.\d%/);
    expect(text).toContain('Sample callers');
    expect(text).toMatch(/c-000000 {2}\w+ \/ prompt-v\d, due at [\d.]+m?s, p-000000/);
    expect(text).toContain('No warnings.');
  });

  test('json is the summary, parseable, with the spec label', () => {
    const parsed = JSON.parse(renderPlanJson(planSummary(abSpec()), 'specs/peak.yaml'));
    expect(parsed.spec).toBe('specs/peak.yaml');
    expect(parsed.profile.plannedCalls).toBe(600);
    expect(parsed.mix.cells).toHaveLength(6);
    expect(parsed.samples).toHaveLength(3);
  });
});
