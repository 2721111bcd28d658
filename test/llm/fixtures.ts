/** A resolved Spec and CallJob for LLM unit tests, built by hand (the loader has its own tests). */
import type { CallJob } from '../../src/plan/types.js';
import type { JudgeSpec, LlmCallerSpec, LlmSpec, ScenarioSpec, Spec } from '../../src/spec/types.js';

export interface SpecOptions {
  readonly llm?: Partial<LlmSpec>;
  readonly caller?: Partial<LlmCallerSpec>;
  readonly judge?: JudgeSpec;
  readonly retries?: Spec['load']['retries'];
  readonly prices?: Spec['cost']['prices'];
}

export function llmSpec(options: SpecOptions = {}): Spec {
  const scenario: ScenarioSpec = {
    name: 'booking',
    weight: 1,
    caller: 'llm',
    turns: [],
    llm: { goal: 'book a follow-up next week; you are {{persona.firstName}}, born {{persona.dob}}', model: 'gpt-4o-mini', temperature: 0.7, maxTurns: 6, ...options.caller },
    ...(options.judge ? { judge: options.judge } : {}),
  };
  const target = { driver: 'sim', turnTimeoutMs: 5000, maxReplyBytes: 65536, latency: { p50Ms: 5, p95Ms: 10 }, replyDurationMs: 0, capacity: 100, failures: {} } as const;
  return {
    version: 1,
    name: 'llm-unit',
    sourcePath: '/tmp/llm-unit.yaml',
    target,
    load: {
      calls: 1,
      concurrency: 1,
      phases: [{ durationMs: 1000, ratePerSec: 1, rampToPerSec: 1 }],
      arrivals: 'uniform',
      queueMaxWaitMs: 1000,
      callTimeoutMs: 30_000,
      seed: 1,
      maxDurationMs: 60_000,
      gracePeriodMs: 1000,
      retries: options.retries ?? { attempts: 3, baseDelayMs: 20, maxDelayMs: 200 },
      threads: 1,
    },
    personas: { fields: {}, traits: {} },
    scenarios: [scenario],
    variants: [{ name: 'default', weight: 1, target }],
    thresholds: [],
    report: { formats: [], sampleTranscripts: 0 },
    llm: { requestTimeoutMs: 5000, judgeConcurrency: 2, ...options.llm },
    cost: { prices: options.prices ?? { 'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 } } },
  };
}

export function callJob(fields: Record<string, string> = { firstName: 'Maria', dob: '1950-03-14' }): CallJob {
  return {
    index: 0,
    id: 'c-000000',
    scenarioIndex: 0,
    scenario: 'booking',
    variantIndex: 0,
    variant: 'default',
    persona: { id: 'p-000000', fields },
    dueOffsetMs: 0,
    callSeed: 7,
  };
}
