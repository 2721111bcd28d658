/**
 * A validated raw spec → the resolved Spec: units converted (ms, calls/s, fractions),
 * defaults filled in, variants merged over the target, thresholds compiled. It runs only
 * after the schema and the semantic checks found no problem, so it does not re-check.
 */
import path from 'node:path';
import { compileThreshold } from '../thresholds/parse.js';
import { DEFAULT_PRICES, LLM_DEFAULTS, LOAD_DEFAULTS, REPORT_DEFAULTS } from './defaults.js';
import { durationMs, deepMerge, resolveTarget, unit } from './resolve-target.js';
import type { Json, RawLoad, RawPersonas, RawScenario, RawSpec, RawTarget, RawThresholdItem } from './raw.js';
import { valuePosition, type SpecSource } from './source.js';
import type { FieldGenerator, LoadSpec, PersonasSpec, PhaseSpec, ScenarioSpec, Spec, ThresholdSpec, VariantSpec } from './types.js';
import { SPEC_VERSION } from './types.js';
import { parseRate } from './units.js';

export interface ResolveContext {
  readonly source: SpecSource;
  /** Absolute path of the spec file. */
  readonly sourcePath: string;
  /** Persona rows read from personas.from, already checked. */
  readonly rows?: readonly Record<string, string>[];
}

export function resolveSpec(raw: RawSpec, context: ResolveContext): Spec {
  const target = resolveTarget(raw.target);
  const scenarios = raw.scenarios.map(resolveScenario(context));
  const usesLlm = scenarios.some((s) => s.caller === 'llm' || s.judge !== undefined);
  return {
    version: SPEC_VERSION,
    name: raw.name,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    sourcePath: context.sourcePath,
    target,
    load: resolveLoad(raw.load),
    personas: resolvePersonas(raw.personas, context),
    scenarios,
    variants: resolveVariants(raw),
    thresholds: resolveThresholds(raw, context),
    report: {
      ...(raw.report?.out !== undefined ? { outDir: path.resolve(path.dirname(context.sourcePath), raw.report.out) } : {}),
      formats: raw.report?.formats ?? [...REPORT_DEFAULTS.formats],
      sampleTranscripts: raw.report?.sampleTranscripts ?? REPORT_DEFAULTS.sampleTranscripts,
    },
    ...(raw.llm !== undefined || usesLlm ? { llm: resolveLlm(raw.llm) } : {}),
    cost: {
      prices: resolvePrices(raw.cost?.prices),
      ...(raw.cost?.budget !== undefined ? { budgetUsd: raw.cost.budget } : {}),
    },
  };
}

/** Phases from `pacing` or `phases`; a constant pacing becomes one phase long enough for every call. */
export function resolvePhases(load: RawLoad): PhaseSpec[] {
  if (load.pacing !== undefined) {
    const ratePerSec = unit(parseRate(load.pacing));
    return [constantPhase(load.calls ?? 1, ratePerSec)];
  }
  return (load.phases ?? []).map((phase, index) => {
    const ratePerSec = unit(parseRate(phase.pacing));
    return {
      durationMs: durationMs(phase.duration, 0),
      ratePerSec,
      rampToPerSec: phase.rampTo === undefined ? ratePerSec : unit(parseRate(phase.rampTo)),
      name: phase.name ?? `phase ${index + 1}`,
    };
  });
}

export function constantPhase(calls: number, ratePerSec: number): PhaseSpec {
  return { durationMs: Math.round((calls / ratePerSec) * 1000), ratePerSec, rampToPerSec: ratePerSec, name: 'constant' };
}

/** Arrivals the phases expect: the area under the rate curve. */
function phasesArrivals(phases: readonly PhaseSpec[]): number {
  return phases.reduce((sum, p) => sum + ((p.ratePerSec + p.rampToPerSec) / 2) * (p.durationMs / 1000), 0);
}

function resolveLoad(load: RawLoad): LoadSpec {
  const phases = resolvePhases(load);
  return {
    calls: load.calls ?? Math.round(phasesArrivals(phases)),
    concurrency: load.concurrency ?? LOAD_DEFAULTS.concurrency,
    phases,
    arrivals: load.arrivals ?? LOAD_DEFAULTS.arrivals,
    queueMaxWaitMs: durationMs(load.queue?.maxWait, LOAD_DEFAULTS.queueMaxWaitMs),
    callTimeoutMs: durationMs(load.callTimeout, LOAD_DEFAULTS.callTimeoutMs),
    seed: load.seed ?? LOAD_DEFAULTS.seed,
    maxDurationMs: durationMs(load.maxDuration, LOAD_DEFAULTS.maxDurationMs),
    gracePeriodMs: durationMs(load.gracePeriod, LOAD_DEFAULTS.gracePeriodMs),
    retries: {
      attempts: load.retries?.attempts ?? LOAD_DEFAULTS.retries.attempts,
      baseDelayMs: durationMs(load.retries?.backoff, LOAD_DEFAULTS.retries.baseDelayMs),
      maxDelayMs: durationMs(load.retries?.maxBackoff, LOAD_DEFAULTS.retries.maxDelayMs),
    },
    threads: load.threads ?? LOAD_DEFAULTS.threads,
  };
}

function resolvePersonas(raw: RawPersonas | undefined, context: ResolveContext): PersonasSpec {
  const fields: Record<string, FieldGenerator> = {};
  for (const [name, field] of Object.entries(raw?.fields ?? {})) {
    if (Array.isArray(field)) fields[name] = { kind: 'pick', values: field.map(String) };
    else if (field.date) fields[name] = { kind: 'date', from: field.date[0], to: field.date[1] };
    else if (field.int) fields[name] = { kind: 'int', min: field.int[0], max: field.int[1] };
  }
  const between = raw?.traits?.patience?.between;
  return {
    fields,
    ...(context.rows !== undefined ? { rows: context.rows } : {}),
    ...(raw?.from !== undefined ? { csvPath: path.resolve(path.dirname(context.sourcePath), raw.from) } : {}),
    traits: between ? { patienceMs: { minMs: durationMs(between[0], 0), maxMs: durationMs(between[1], 0) } } : {},
    ...(raw?.segmentBy !== undefined ? { segmentBy: raw.segmentBy } : {}),
  };
}

const list = (value: string | string[] | undefined): string[] | undefined => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

function resolveScenario(context: ResolveContext) {
  return (raw: RawScenario, index: number): ScenarioSpec => ({
    name: raw.name,
    weight: raw.weight ?? 1,
    caller: raw.caller ?? 'scripted',
    turns: (raw.turns ?? []).map((turn, turnIndex) => {
      const expect = turn.expect;
      const contains = list(expect?.contains);
      const notContains = list(expect?.not?.contains);
      return {
        say: turn.say,
        pauseMs: durationMs(turn.pause, 0),
        position: valuePosition(context.source, ['scenarios', index, 'turns', turnIndex]),
        ...(expect
          ? {
              expect: {
                ...(contains ? { contains } : {}),
                ...(expect.matches !== undefined ? { matches: expect.matches } : {}),
                ...(expect.not
                  ? { not: { ...(notContains ? { contains: notContains } : {}), ...(expect.not.matches !== undefined ? { matches: expect.not.matches } : {}) } }
                  : {}),
                ...(expect.within !== undefined ? { withinMs: durationMs(expect.within, 0) } : {}),
              },
            }
          : {}),
      };
    }),
    ...(raw.llm
      ? {
          llm: {
            goal: raw.llm.goal ?? '',
            model: raw.llm.model ?? LLM_DEFAULTS.model,
            temperature: raw.llm.temperature ?? LLM_DEFAULTS.temperature,
            maxTurns: raw.llm.maxTurns ?? LLM_DEFAULTS.maxTurns,
            ...(raw.llm.opening !== undefined ? { opening: raw.llm.opening } : {}),
          },
        }
      : {}),
    ...(raw.judge ? { judge: { rubric: raw.judge.rubric ?? [], model: raw.judge.model ?? LLM_DEFAULTS.model } } : {}),
    ...(raw.expect ? { expect: { ...raw.expect } } : {}),
  });
}

function resolveVariants(raw: RawSpec): VariantSpec[] {
  if (!raw.variants) return [{ name: 'default', weight: 1, target: resolveTarget(raw.target) }];
  return raw.variants.map((variant) => ({
    name: variant.name,
    weight: variant.weight ?? 1,
    target: resolveTarget(deepMerge(raw.target as Json, variant.target as Json | undefined) as RawTarget),
  }));
}

/** Every threshold value form (string, list, object) as a list of items. */
export function thresholdItems(value: unknown): { item: RawThresholdItem; index?: number }[] {
  if (Array.isArray(value)) return value.map((item, index) => ({ item: item as RawThresholdItem, index }));
  return [{ item: value as RawThresholdItem }];
}

function resolveThresholds(raw: RawSpec, context: ResolveContext): ThresholdSpec[] {
  const out: ThresholdSpec[] = [];
  for (const [key, value] of Object.entries(raw.thresholds ?? {})) {
    for (const { item, index } of thresholdItems(value)) {
      const options = typeof item === 'string' ? { threshold: item } : item;
      const at = index === undefined ? ['thresholds', key] : ['thresholds', key, index];
      out.push({
        ...compileThreshold(key, options.threshold),
        allowNoData: options.allowNoData ?? false,
        abortOnFail: options.abortOnFail ?? false,
        abortDelayMs: durationMs(options.delayAbortEval, 0),
        position: valuePosition(context.source, typeof item === 'string' ? at : [...at, 'threshold']),
      });
    }
  }
  return out;
}

function resolveLlm(raw: RawSpec['llm']) {
  return {
    ...(raw?.baseURL !== undefined ? { baseURL: raw.baseURL } : {}),
    ...(raw?.apiKey !== undefined ? { apiKey: raw.apiKey } : {}),
    requestTimeoutMs: durationMs(raw?.requestTimeout, LLM_DEFAULTS.requestTimeoutMs),
    ...(raw?.requestsPerMinute !== undefined ? { requestsPerMinute: raw.requestsPerMinute } : {}),
    ...(raw?.tokensPerMinute !== undefined ? { tokensPerMinute: raw.tokensPerMinute } : {}),
    judgeConcurrency: raw?.judgeConcurrency ?? LLM_DEFAULTS.judgeConcurrency,
  };
}

function resolvePrices(raw: Record<string, { input: number; output: number }> | undefined) {
  const prices = { ...DEFAULT_PRICES };
  for (const [model, price] of Object.entries(raw ?? {})) prices[model] = { inputPerMTok: price.input, outputPerMTok: price.output };
  return prices;
}
