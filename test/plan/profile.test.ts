import { describe, expect, test } from 'vitest';
import { resolveLoadProfile, type ProfileWarningCode } from '../../src/schedule/profile.js';
import { estimateCallLength, ASSUMED_TURN_MS } from '../../src/plan/call-length.js';
import { makeHttpTarget, makeLoad, makePersonas, makeScenario, makeSimTarget, makeSpec, makeVariant, phase, turn } from '../support/spec-fixture.js';
import type { LoadSpec, Spec } from '../../src/spec/types.js';

const specWith = (load: Partial<LoadSpec>, rest: Partial<Spec> = {}) => makeSpec({ load: makeLoad(load), ...rest });
const codes = (spec: Spec): ProfileWarningCode[] => resolveLoadProfile(spec).warnings.map((w) => w.code);
const warning = (spec: Spec, code: ProfileWarningCode) => resolveLoadProfile(spec).warnings.find((w) => w.code === code)?.message;

describe('resolveLoadProfile', () => {
  test('a constant phase: calls, end, peak rate, series, and no warnings', () => {
    const profile = resolveLoadProfile(specWith({ calls: 20, phases: [phase(10_000, 2)] }));
    expect(profile.plannedCalls).toBe(20);
    expect(profile.phases).toEqual([
      { name: 'phase 1', kind: 'phase', startMs: 0, endMs: 10_000, fromRatePerSec: 2, toRatePerSec: 2, expectedCalls: 20, plannedCalls: 20, reached: true },
    ]);
    expect(profile.scheduleEndMs).toBe(10_000);
    expect(profile.firstArrivalMs).toBe(0);
    expect(profile.lastArrivalMs).toBe(9_500);
    expect(profile.peakRatePerSec).toBe(2);
    expect(profile.series).toEqual({ bucketMs: 1_000, ratesPerSec: new Array(10).fill(2) });
    // Two turns of 300 ms p50 + 200 ms reply: 1 s calls, so about 2 in flight.
    expect(profile.callLength.expectedMs).toBe(1_000);
    expect(profile.expectedPeakConcurrency).toBe(2);
    expect(profile.warnings).toEqual([]);
  });

  test('phases with ramps: expected and placed calls per phase, then the hold', () => {
    const profile = resolveLoadProfile(specWith({ calls: 600, phases: [phase(30_000, 1, 10, 'warm-up'), phase(30_000, 10)] }));
    expect(profile.phases.map((p) => [p.name, p.kind, p.expectedCalls, p.plannedCalls])).toEqual([
      ['warm-up', 'phase', 165, 165],
      ['phase 2', 'phase', 300, 300],
      ['hold', 'hold', 135, 135],
    ]);
    expect(profile.scheduleEndMs).toBeCloseTo(73_500, 6);
    expect(codes(specWith({ calls: 600, phases: [phase(30_000, 1, 10), phase(30_000, 10)] }))).toEqual(['final_rate_holds']);
    expect(warning(specWith({ calls: 600, phases: [phase(30_000, 1, 10), phase(30_000, 10)] }), 'final_rate_holds')).toBe(
      'the phases place about 465 of the 600 calls by 1m; the last rate (10/s) holds for another 13.5s to place the rest',
    );
  });

  test('the series buckets stay few for long plans and sum to the calls', () => {
    const profile = resolveLoadProfile(specWith({ calls: 3_600, phases: [phase(3_600_000, 1)] }));
    expect(profile.series.bucketMs).toBe(30_000);
    expect(profile.series.ratesPerSec).toHaveLength(120);
    const sum = profile.series.ratesPerSec.reduce((a, r) => a + r * (profile.series.bucketMs / 1000), 0);
    expect(sum).toBeCloseTo(3_600, 6);
  });

  test('the concurrency cap: warns that calls queue and drop when the expected peak passes it', () => {
    // Five turns of 0.5 s plus 1.5 s pauses: 10 s calls; at 10/s about 100 in flight.
    const scenarios = [makeScenario('long', 1, { turns: Array.from({ length: 5 }, () => turn('hi', { pauseMs: 1_500 })) })];
    const spec = specWith({ calls: 1_000, concurrency: 40, phases: [phase(100_000, 10)], queueMaxWaitMs: 5_000 }, { scenarios });
    const profile = resolveLoadProfile(spec);
    expect(profile.callLength.expectedMs).toBe(10_000);
    expect(profile.expectedPeakConcurrency).toBeCloseTo(100, 0);
    expect(profile.servedPerSec).toBe(4);
    expect(warning(spec, 'concurrency_cap')).toBe(
      'expected peak concurrency 100 exceeds the cap of 40: calls will queue, and any that wait longer than queue.maxWait (5s) are dropped; at the peak, 10/s arrive but 40 lines serve about 4/s, so the queue grows while the peak lasts',
    );
    expect(codes({ ...spec, load: { ...spec.load, concurrency: 150 } })).toEqual([]);
  });

  test('peak concurrency counts only the calls within one call length (a short burst is not rate × length)', () => {
    const scenarios = [makeScenario('long', 1, { turns: Array.from({ length: 20 }, () => turn('hi')) })];
    // 100 calls in one second, then nothing; calls last 10 s: at most 100 in flight, not 1000.
    const profile = resolveLoadProfile(specWith({ calls: 100, concurrency: 500, phases: [phase(1_000, 100), phase(60_000, 0)] }, { scenarios }));
    expect(profile.peakRatePerSec).toBe(100);
    expect(profile.expectedPeakConcurrency).toBe(100);
  });

  test('the phases end at rate 0 before `calls` are placed', () => {
    const spec = specWith({ calls: 100, phases: [phase(10_000, 2, 0)] });
    expect(resolveLoadProfile(spec).plannedCalls).toBe(10);
    expect(warning(spec, 'calls_unreached')).toBe('the phases end at rate 0 after about 10 calls: only 10 of the 100 calls are placed');
  });

  test('maxDuration cuts the plan short', () => {
    const spec = specWith({ calls: 1_000, phases: [phase(600_000, 10)], maxDurationMs: 5_000 });
    const profile = resolveLoadProfile(spec);
    expect(profile.plannedCalls).toBe(50);
    expect(profile.scheduleEndMs).toBe(5_000);
    expect(codes(spec)).toEqual(['duration_cap']);
    expect(warning(spec, 'duration_cap')).toBe('maxDuration (5s) stops scheduling after 50 of the 1000 calls (all of them need 100s)');
  });

  test('a phase below one call per its duration, and a phase never reached', () => {
    const sparse = specWith({ calls: 3, phases: [phase(10_000, 0.05, 0.05, 'trickle'), phase(10_000, 1)] });
    expect(warning(sparse, 'phase_sparse')).toBe('trickle expects 0.5 calls (a rate below one per its 10s); this seed places 1 in it');
    const early = specWith({ calls: 5, phases: [phase(10_000, 1), phase(10_000, 5, 5, 'rush')] });
    expect(resolveLoadProfile(early).phases[1]!.reached).toBe(false);
    expect(warning(early, 'phase_unreached')).toBe('rush never runs: scheduling ends at 5s, before it starts at 10s');
  });

  test('a call timeout shorter than a call, impatient callers, and a plan with no calls', () => {
    expect(codes(specWith({ callTimeoutMs: 500 }))).toEqual(['call_timeout']);
    const impatient = makeSpec({ personas: makePersonas({ traits: { patienceMs: { minMs: 100, maxMs: 400 } } }) });
    expect(warning(impatient, 'patience')).toBe('the expected turn time (500ms) is longer than the patience of every caller (100ms–400ms): those calls end in hangup_early');
    expect(codes(specWith({ phases: [phase(10_000, 0)] }))).toContain('no_calls');
  });
});

describe('estimateCallLength', () => {
  test('sim: p50 + reply per turn, plus pauses, weighted by scenario', () => {
    const spec = makeSpec({
      scenarios: [makeScenario('short', 3, { turns: [turn('a')] }), makeScenario('long', 1, { turns: [turn('a', { pauseMs: 1_000 }), turn('b'), turn('c')] })],
      target: makeSimTarget({ latency: { p50Ms: 400, p95Ms: 900 }, replyDurationMs: 100 }),
    });
    const estimate = estimateCallLength(spec);
    expect(estimate.byScenario).toEqual([
      { scenario: 'short', turns: 1, expectedMs: 500 },
      { scenario: 'long', turns: 3, expectedMs: 2_500 },
    ]);
    expect(estimate.expectedMs).toBe((3 * 500 + 2_500) / 4);
    expect(estimate.assumptions).toEqual([]);
  });

  test('demo targets use the demo latency; other URLs assume 1 s a turn and say so', () => {
    const demo = estimateCallLength(makeSpec({ target: makeHttpTarget() }));
    expect(demo.expectedMs).toBe(2 * 200);
    expect(demo.basis).toEqual(['demo receptionist latency 200ms per turn']);
    const real = estimateCallLength(makeSpec({ target: makeHttpTarget({ url: 'http://127.0.0.1:9/agent' }) }));
    expect(real.expectedMs).toBe(2 * ASSUMED_TURN_MS);
    expect(real.assumptions).toEqual(['1000ms per turn assumed for http target http://127.0.0.1:9/agent']);
  });

  test('variants with different targets are weighted; LLM callers count maxTurns', () => {
    const spec = makeSpec({
      scenarios: [makeScenario('chat', 1, { caller: 'llm', turns: [], llm: { goal: 'book', model: 'm', temperature: 0, maxTurns: 4 } })],
      variants: [makeVariant('fast', 1, makeSimTarget({ latency: { p50Ms: 100, p95Ms: 200 }, replyDurationMs: 0 })), makeVariant('slow', 1, makeSimTarget({ latency: { p50Ms: 300, p95Ms: 600 }, replyDurationMs: 0 }))],
    });
    const estimate = estimateCallLength(spec);
    expect(estimate.expectedMs).toBe(4 * 200);
    expect(estimate.assumptions).toEqual(['scenario chat: an LLM caller, counted at its maxTurns (4), an upper bound']);
  });
});
