import { describe, expect, test } from 'vitest';
import { createPersonaGenerator, OTHER_SEGMENT, personaId, SEGMENT_LIMIT, segmentValues } from '../../src/plan/personas.js';
import type { PersonasSpec } from '../../src/spec/types.js';
import { makePersonas } from '../support/spec-fixture.js';

const many = (spec: PersonasSpec, n = 2_000, seed = 42) => {
  const generate = createPersonaGenerator(spec, seed);
  return Array.from({ length: n }, (_, i) => generate(i));
};

describe('personas', () => {
  test('pools, date ranges and int ranges give values inside their ranges, all of them reached', () => {
    const personas = many(makePersonas({ fields: {
      firstName: { kind: 'pick', values: ['Maria', 'James', 'Aiko'] },
      dob: { kind: 'date', from: '2000-02-27', to: '2000-03-02' },
      visits: { kind: 'int', min: 1, max: 4 },
    } }));
    const names = new Set(personas.map((p) => p.fields.firstName));
    const dates = new Set(personas.map((p) => p.fields.dob));
    const visits = new Set(personas.map((p) => p.fields.visits));
    expect([...names].sort()).toEqual(['Aiko', 'James', 'Maria']);
    // A leap year: 27, 28, 29 February, 1 and 2 March, both ends included.
    expect([...dates].sort()).toEqual(['2000-02-27', '2000-02-28', '2000-02-29', '2000-03-01', '2000-03-02']);
    expect([...visits].sort()).toEqual(['1', '2', '3', '4']);
  });

  test('a wide date range stays inside its bounds and is ISO yyyy-mm-dd', () => {
    for (const p of many(makePersonas())) {
      expect(p.fields.dob).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.fields.dob! >= '1940-01-01' && p.fields.dob! <= '2005-12-31').toBe(true);
    }
  });

  test('same seed and index give the same persona; the id is p-000042 style', () => {
    const a = createPersonaGenerator(makePersonas(), 9);
    const b = createPersonaGenerator(makePersonas(), 9);
    expect(a(42)).toEqual(b(42));
    expect(a(42).id).toBe('p-000042');
    expect(personaId(1_000_000)).toBe('p-1000000');
    expect(many(makePersonas(), 50, 1).map((p) => p.fields)).not.toEqual(many(makePersonas(), 50, 2).map((p) => p.fields));
  });

  test('adding a field does not change the values of the others', () => {
    const base = makePersonas();
    const more = makePersonas({ fields: { ...base.fields, medication: { kind: 'pick', values: ['lisinopril', 'metformin'] } } });
    const before = many(base, 200);
    const after = many(more, 200);
    after.forEach((p, i) => {
      expect(p.fields.medication).toBeDefined();
      const { medication: _unused, ...rest } = p.fields;
      expect(rest).toEqual(before[i]!.fields);
    });
  });

  test('CSV rows are chosen by the PRNG, all reachable, and generated fields lie over them', () => {
    const rows = [
      { firstName: 'Ana', dob: '1970-01-01', plan: 'gold' },
      { firstName: 'Ben', dob: '1980-02-02', plan: 'silver' },
      { firstName: 'Cy', dob: '1990-03-03', plan: 'bronze' },
    ];
    const personas = many({ fields: { plan: { kind: 'pick', values: ['basic'] } }, rows, traits: {} }, 600);
    const byName = new Map(rows.map((r) => [r.firstName, r]));
    const counts = new Map<string, number>();
    for (const p of personas) {
      const row = byName.get(p.fields.firstName!);
      expect(row).toBeDefined();
      expect(p.fields.dob).toBe(row!.dob);
      expect(p.fields.plan).toBe('basic');
      counts.set(p.fields.firstName!, (counts.get(p.fields.firstName!) ?? 0) + 1);
    }
    for (const row of rows) expect(counts.get(row.firstName)).toBeGreaterThan(150);
  });

  test('patience is uniform in whole ms between min and max', () => {
    const personas = many(makePersonas({ traits: { patienceMs: { minMs: 4_000, maxMs: 12_000 } } }), 4_000);
    const values = personas.map((p) => p.patienceMs!);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(4_000);
    expect(Math.max(...values)).toBeLessThanOrEqual(12_000);
    expect(values.every(Number.isInteger)).toBe(true);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(mean - 8_000)).toBeLessThan(150);
    expect(many(makePersonas(), 5).every((p) => p.patienceMs === undefined)).toBe(true);
  });

  test('segments are the segmentBy value, at most SEGMENT_LIMIT of them, the rest `other`', () => {
    const bands = ['18-29', '30-44', '45-64', '65+'];
    const small = many(makePersonas({ fields: { ageBand: { kind: 'pick', values: bands } }, segmentBy: 'ageBand' }));
    expect(new Set(small.map((p) => p.segment))).toEqual(new Set(bands));
    small.forEach((p) => expect(p.segment).toBe(p.fields.ageBand));

    const wide = makePersonas({ fields: { age: { kind: 'int', min: 18, max: 90 } }, segmentBy: 'age' });
    const segments = new Set(many(wide).map((p) => p.segment));
    expect(segments.size).toBe(SEGMENT_LIMIT + 1);
    expect(segments.has(OTHER_SEGMENT)).toBe(true);
    // The first 20 values in spec order (18..37) keep their own segment.
    expect(segmentValues(wide)).toEqual({ values: Array.from({ length: 20 }, (_, i) => String(18 + i)), overflows: true });
    for (const p of many(wide, 500)) expect(p.segment).toBe(Number(p.fields.age) <= 37 ? p.fields.age : OTHER_SEGMENT);
  });

  test('segments from a CSV column follow row order; no segmentBy means no segment', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ clinic: `clinic-${i % 25}` }));
    const spec: PersonasSpec = { fields: {}, rows, traits: {}, segmentBy: 'clinic' };
    expect(segmentValues(spec)!.values).toEqual(Array.from({ length: 20 }, (_, i) => `clinic-${i}`));
    expect(new Set(many(spec).map((p) => p.segment)).size).toBe(21);
    expect(many(makePersonas(), 3).every((p) => p.segment === undefined)).toBe(true);
    expect(segmentValues(makePersonas())).toBeUndefined();
  });
});
