import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LoadspecError } from '../../src/errors.js';
import { loadSpec } from '../../src/spec/load.js';
import { applyOverrides, overridesFromFlags } from '../../src/spec/overrides.js';
import type { Spec } from '../../src/spec/types.js';

const root = path.join(import.meta.dirname, '..', '..');
let peak: Spec;
beforeAll(async () => {
  peak = await loadSpec('specs/peak.yaml', { cwd: root, env: {} });
});

function usage(fn: () => unknown): LoadspecError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LoadspecError);
    expect((error as LoadspecError).code).toBe('LOADSPEC_USAGE');
    return error as LoadspecError;
  }
  throw new Error('expected LOADSPEC_USAGE');
}

describe('applyOverrides', () => {
  it('replaces load settings and returns a new frozen spec, leaving the original alone', () => {
    const spec = applyOverrides(peak, { calls: 20, concurrency: 5, seed: 9, threads: 2, outDir: '/tmp/out' });
    expect(spec.load).toMatchObject({ calls: 20, concurrency: 5, seed: 9, threads: 2 });
    expect(spec.load.phases).toEqual(peak.load.phases);
    expect(spec.report.outDir).toBe('/tmp/out');
    expect(Object.isFrozen(spec.load)).toBe(true);
    expect(peak.load.calls).toBe(1328);
    expect(peak.report.outDir).toBeUndefined();
  });

  it('turns --pacing into one constant phase long enough for the calls', () => {
    expect(applyOverrides(peak, { pacing: '4/s', calls: 40 }).load.phases).toEqual([{ durationMs: 10_000, ratePerSec: 4, rampToPerSec: 4, name: 'constant' }]);
    expect(applyOverrides(peak, { pacing: '2.5', calls: 10 }).load.phases[0]?.ratePerSec).toBe(2.5);
    expect(applyOverrides(peak, { pacing: '30/min', calls: 10 }).load.phases[0]?.ratePerSec).toBe(0.5);
    expect(usage(() => applyOverrides(peak, { pacing: 'fast' })).message).toBe('--pacing: "fast" is not a rate; write e.g. 5/s, 0.5/s, 30/min or 120/h');
    expect(usage(() => applyOverrides(peak, { pacing: '5000/s' })).message).toContain('outside the allowed rates');
  });

  it('keeps only the chosen scenarios, and names the known ones for a typo', () => {
    const spec = applyOverrides(peak, { scenarios: ['refill', 'office-hours'] });
    expect(spec.scenarios.map((s) => s.name)).toEqual(['refill', 'office-hours']);
    const error = usage(() => applyOverrides(peak, { scenarios: ['refil'] }));
    expect(error.message).toBe('--scenarios: no scenario named "refil"; did you mean "refill"?');
    expect(error.problems[0]?.hint).toBe('scenarios in peak.yaml: scheduling, refill, rescheduling, office-hours');
  });

  it('lets thresholds on scenarios left out pass without data', () => {
    const spec = applyOverrides(peak, { scenarios: ['scheduling'] });
    expect(spec.thresholds.find((t) => t.key === 'response_time{scenario:refill}')?.allowNoData).toBe(true);
    expect(spec.thresholds.find((t) => t.key === 'failure_rate')?.allowNoData).toBe(false);
  });

  it('refuses counts that make no sense', () => {
    expect(usage(() => applyOverrides(peak, { calls: 0 })).message).toBe('--calls must be a whole number of at least 1, not 0');
    expect(usage(() => applyOverrides(peak, { concurrency: -1 })).message).toBe('--concurrency must be a whole number of at least 1, not -1');
  });
});

describe('overridesFromFlags', () => {
  it('builds overrides from parsed flags, splitting --scenarios and resolving --out', () => {
    expect(overridesFromFlags({ calls: 5, scenarios: 'a, b,,c', out: 'res', pacing: '2/s', seed: 3, concurrency: 4, threads: 1, format: 'json' }, '/work')).toEqual({
      calls: 5,
      concurrency: 4,
      pacing: '2/s',
      scenarios: ['a', 'b', 'c'],
      seed: 3,
      threads: 1,
      outDir: '/work/res',
    });
    expect(overridesFromFlags({})).toEqual({});
  });
});
