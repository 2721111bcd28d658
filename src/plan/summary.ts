/**
 * What `loadspec plan` shows: the load profile, the exact scenario × variant mix this seed
 * produces (counted over every planned call, not estimated from the weights), a few sample
 * callers, and warnings. Everything here is a pure function of the spec, so the same spec
 * and seed always give the same summary.
 */
import type { Spec } from '../spec/types.js';
import type { Persona } from './types.js';
import { createMixPicker, createPlan } from './plan.js';
import { OTHER_SEGMENT, SEGMENT_LIMIT, segmentValues } from './personas.js';
import { resolveLoadProfile, type LoadProfile, type ProfileWarningCode } from '../schedule/profile.js';

export interface MixCount {
  readonly name: string;
  readonly weight: number;
  readonly count: number;
  /** count / planned calls, 0..1. */
  readonly share: number;
}

export interface MixCell {
  readonly scenario: string;
  readonly variant: string;
  readonly count: number;
  readonly share: number;
}

export interface PlanMix {
  readonly scenarios: readonly MixCount[];
  readonly variants: readonly MixCount[];
  /** Every scenario × variant pair, scenario-major, in spec order. */
  readonly cells: readonly MixCell[];
}

export interface SampleCall {
  readonly callId: string;
  readonly scenario: string;
  readonly variant: string;
  readonly dueOffsetMs: number;
  readonly persona: Persona;
}

export type PlanWarningCode = ProfileWarningCode | 'scenario_unplaced' | 'variant_unplaced' | 'segment_overflow' | 'segment_unknown';

export interface PlanWarning {
  readonly code: PlanWarningCode;
  readonly message: string;
}

export interface PlanSummary {
  readonly name: string;
  readonly description?: string;
  readonly seed: number;
  readonly driver: string;
  readonly load: {
    readonly calls: number;
    readonly concurrency: number;
    readonly arrivals: 'uniform' | 'poisson';
    readonly queueMaxWaitMs: number;
    readonly callTimeoutMs: number;
    readonly maxDurationMs: number;
  };
  readonly profile: LoadProfile;
  readonly mix: PlanMix;
  readonly samples: readonly SampleCall[];
  readonly segments?: { readonly field: string; readonly values: readonly string[]; readonly overflows: boolean };
  readonly warnings: readonly PlanWarning[];
}

export interface PlanSummaryOptions {
  /** Sample callers to include (the first calls of the plan); default 3. */
  readonly samples?: number;
}

export const DEFAULT_SAMPLES = 3;

function share(count: number, total: number): number {
  return total > 0 ? Math.round((count / total) * 1e6) / 1e6 : 0;
}

/** Counts the mix over the first `planned` calls; typed arrays keep a million calls cheap. */
export function countMix(spec: Spec, planned: number): PlanMix {
  const pick = createMixPicker(spec);
  const variantsCount = spec.variants.length;
  const cells = new Float64Array(spec.scenarios.length * variantsCount);
  for (let i = 0; i < planned; i++) {
    const { scenarioIndex, variantIndex } = pick(i);
    cells[scenarioIndex * variantsCount + variantIndex]!++;
  }
  const cellAt = (s: number, v: number) => cells[s * variantsCount + v] ?? 0;
  const scenarios = spec.scenarios.map((scenario, s) => {
    const count = spec.variants.reduce((sum, _v, v) => sum + cellAt(s, v), 0);
    return { name: scenario.name, weight: scenario.weight, count, share: share(count, planned) };
  });
  const variants = spec.variants.map((variant, v) => {
    const count = spec.scenarios.reduce((sum, _s, s) => sum + cellAt(s, v), 0);
    return { name: variant.name, weight: variant.weight, count, share: share(count, planned) };
  });
  const mixCells = spec.scenarios.flatMap((scenario, s) =>
    spec.variants.map((variant, v) => ({ scenario: scenario.name, variant: variant.name, count: cellAt(s, v), share: share(cellAt(s, v), planned) })),
  );
  return { scenarios, variants, cells: mixCells };
}

function sampleCalls(spec: Spec, count: number): SampleCall[] {
  const samples: SampleCall[] = [];
  if (count <= 0) return samples;
  for (const job of createPlan(spec, { endIndex: count })) {
    samples.push({ callId: job.id, scenario: job.scenario, variant: job.variant, dueOffsetMs: Math.round(job.dueOffsetMs * 1000) / 1000, persona: job.persona });
  }
  return samples;
}

function mixWarnings(mix: PlanMix, planned: number): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (planned === 0) return warnings;
  for (const [kind, counts] of [['scenario', mix.scenarios], ['variant', mix.variants]] as const) {
    for (const entry of counts) {
      if (entry.count > 0) continue;
      const why = entry.weight === 0 ? 'its weight is 0' : `its weight is small for ${planned} calls`;
      warnings.push({ code: `${kind}_unplaced`, message: `${kind} ${entry.name} gets no calls with this seed (${why})` });
    }
  }
  return warnings;
}

function segmentInfo(spec: Spec): { segments?: PlanSummary['segments']; warnings: PlanWarning[] } {
  const field = spec.personas.segmentBy;
  const values = segmentValues(spec.personas);
  if (field === undefined || !values) return { warnings: [] };
  const known = field in spec.personas.fields || (spec.personas.rows ?? []).some((row) => field in row);
  const warnings: PlanWarning[] = [];
  if (!known) warnings.push({ code: 'segment_unknown', message: `personas.segmentBy names ${field}, which no persona field or CSV column provides: every call is in segment ""` });
  if (values.overflows) {
    warnings.push({ code: 'segment_overflow', message: `personas.segmentBy ${field} has more than ${SEGMENT_LIMIT} values: the first ${SEGMENT_LIMIT} are segments, the rest are counted as "${OTHER_SEGMENT}"` });
  }
  return { segments: { field, values: values.values, overflows: values.overflows }, warnings };
}

export function planSummary(spec: Spec, options: PlanSummaryOptions = {}): PlanSummary {
  const profile = resolveLoadProfile(spec);
  const mix = countMix(spec, profile.plannedCalls);
  const segments = segmentInfo(spec);
  const { load } = spec;
  return {
    name: spec.name,
    ...(spec.description === undefined ? {} : { description: spec.description.trim() }),
    seed: load.seed,
    driver: spec.target.driver,
    load: {
      calls: load.calls,
      concurrency: load.concurrency,
      arrivals: load.arrivals,
      queueMaxWaitMs: load.queueMaxWaitMs,
      callTimeoutMs: load.callTimeoutMs,
      maxDurationMs: load.maxDurationMs,
    },
    profile,
    mix,
    samples: sampleCalls(spec, Math.min(options.samples ?? DEFAULT_SAMPLES, profile.plannedCalls)),
    ...(segments.segments ? { segments: segments.segments } : {}),
    warnings: [...profile.warnings, ...mixWarnings(mix, profile.plannedCalls), ...segments.warnings],
  };
}
