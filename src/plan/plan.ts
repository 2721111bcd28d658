/**
 * The plan: a lazy stream of CallJobs, one per arrival. Nothing is built up front, so a
 * million planned calls cost a few objects at a time, however far the consumer reads.
 *
 * Job i's scenario, variant, persona and callSeed come from generators seeded by (run seed,
 * purpose, i) alone, so they are the same whether the stream was read from the start, from
 * `startIndex`, or on another thread. Its due time comes from `arrivalOffsets`; for poisson
 * arrivals that needs the i gaps before it, which starting mid-plan replays (arithmetic only).
 */
import type { ScenarioSpec, Spec, VariantSpec } from '../spec/types.js';
import type { CallJob } from './types.js';
import { deriveSeed, rngFor, STREAM, WeightedTable } from './prng.js';
import { createPersonaGenerator } from './personas.js';
import { arrivalOffsets } from '../schedule/arrivals.js';

export interface PlanOptions {
  /** First job index to yield (earlier arrivals are computed, not yielded). */
  readonly startIndex?: number;
  /** Stop before this index (exclusive); default: the whole plan. */
  readonly endIndex?: number;
}

/** `c-000042`: six digits, more when the plan is bigger. */
export function callId(index: number): string {
  return `c-${String(index).padStart(6, '0')}`;
}

/** Scenario and variant for a call: the part of a job the mix summary needs. */
export interface MixPick {
  readonly scenarioIndex: number;
  readonly variantIndex: number;
}

export type MixPicker = (index: number) => MixPick;

/** Picks scenario and variant by weight for any call index, without building the job. */
export function createMixPicker(spec: Spec): MixPicker {
  const scenarios = new WeightedTable(spec.scenarios.map((s) => s.weight));
  const variants = new WeightedTable(spec.variants.map((v) => v.weight));
  const seed = spec.load.seed;
  return (index) => ({
    scenarioIndex: scenarios.pick(rngFor(seed, 'scenario', index)),
    variantIndex: variants.pick(rngFor(seed, 'variant', index)),
  });
}

/** The lazy stream of planned calls; iterating it again starts over with the same jobs. */
export function createPlan(spec: Spec, options: PlanOptions = {}): Iterable<CallJob> {
  return {
    [Symbol.iterator]: () => planJobs(spec, options),
  };
}

function* planJobs(spec: Spec, options: PlanOptions): Generator<CallJob, void, undefined> {
  const startIndex = Math.max(0, options.startIndex ?? 0);
  const endIndex = Math.min(spec.load.calls, options.endIndex ?? Number.POSITIVE_INFINITY);
  const pickMix = createMixPicker(spec);
  const persona = createPersonaGenerator(spec.personas, spec.load.seed);
  let index = 0;
  for (const dueOffsetMs of arrivalOffsets(spec.load)) {
    if (index >= endIndex) return;
    if (index >= startIndex) {
      const { scenarioIndex, variantIndex } = pickMix(index);
      yield {
        index,
        id: callId(index),
        scenarioIndex,
        scenario: (spec.scenarios[scenarioIndex] as ScenarioSpec).name,
        variantIndex,
        variant: (spec.variants[variantIndex] as VariantSpec).name,
        persona: persona(index),
        dueOffsetMs,
        callSeed: deriveSeed(spec.load.seed, STREAM.call, index),
      };
    }
    index++;
  }
}
