/**
 * Builders of valid, resolved Specs for tests that need one without YAML: every part has a
 * sensible default and can be overridden. Objects are plain data, not frozen, so a test
 * can build a variation with spread syntax.
 *
 *   const spec = makeSpec({ load: makeLoad({ calls: 50, phases: [phase(10_000, 5)] }) });
 */
import type {
  HttpTargetSpec,
  LoadSpec,
  PersonasSpec,
  PhaseSpec,
  ScenarioSpec,
  SimTargetSpec,
  Spec,
  TargetSpec,
  TurnSpec,
  VariantSpec,
  DemoSpec,
  WebSocketTargetSpec,
} from '../../src/spec/types.js';

/** A phase of `durationMs` at `ratePerSec`, ramping to `rampToPerSec` when given. */
export function phase(durationMs: number, ratePerSec: number, rampToPerSec: number = ratePerSec, name?: string): PhaseSpec {
  return { durationMs, ratePerSec, rampToPerSec, ...(name === undefined ? {} : { name }) };
}

export function makeLoad(overrides: Partial<LoadSpec> = {}): LoadSpec {
  return {
    calls: 20,
    concurrency: 10,
    phases: [phase(10_000, 2)],
    arrivals: 'uniform',
    queueMaxWaitMs: 10_000,
    callTimeoutMs: 180_000,
    seed: 42,
    maxDurationMs: 3_600_000,
    gracePeriodMs: 30_000,
    retries: { attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 },
    threads: 0,
    ...overrides,
  };
}

export function makeSimTarget(overrides: Partial<SimTargetSpec> = {}): SimTargetSpec {
  return {
    driver: 'sim',
    turnTimeoutMs: 30_000,
    maxReplyBytes: 1_000_000,
    latency: { p50Ms: 300, p95Ms: 900 },
    replyDurationMs: 200,
    capacity: 1_000,
    failures: {},
    ...overrides,
  };
}

export function makeDemo(overrides: Partial<DemoSpec> = {}): DemoSpec {
  return { latencyMs: 200, jitterMs: 50, capacity: 50, faults: {}, ...overrides };
}

/** An http target against the bundled demo (`url: builtin`) unless `url` is given. */
export function makeHttpTarget(overrides: Partial<HttpTargetSpec> = {}): HttpTargetSpec {
  return {
    driver: 'http',
    turnTimeoutMs: 30_000,
    maxReplyBytes: 1_000_000,
    url: 'builtin',
    headers: {},
    demo: makeDemo(),
    start: { method: 'POST', path: '/calls', headers: {}, body: { persona: '{{persona.firstName}}' }, callId: '/id' },
    turn: { method: 'POST', path: '/calls/{{callId}}/turns', headers: {}, body: { text: '{{text}}' }, reply: '/reply', stream: 'none' },
    end: { method: 'DELETE', path: '/calls/{{callId}}', headers: {} },
    ...overrides,
  };
}

/** A websocket target against the bundled demo (`url: builtin`) unless `url` is given. */
export function makeWebSocketTarget(overrides: Partial<WebSocketTargetSpec> = {}): WebSocketTargetSpec {
  return {
    driver: 'websocket',
    turnTimeoutMs: 30_000,
    maxReplyBytes: 1_000_000,
    url: 'builtin',
    headers: {},
    demo: makeDemo(),
    send: { type: 'say', text: '{{text}}' },
    reply: '/text',
    ...overrides,
  };
}

export function turn(say: string, overrides: Partial<TurnSpec> = {}): TurnSpec {
  return { say, pauseMs: 0, ...overrides };
}

export function makeScenario(name: string, weight = 1, overrides: Partial<ScenarioSpec> = {}): ScenarioSpec {
  return {
    name,
    weight,
    caller: 'scripted',
    turns: [turn(`Hello, this is {{persona.firstName}} calling about ${name}.`), turn('Thank you, goodbye.')],
    ...overrides,
  };
}

export function makeVariant(name: string, weight = 1, target: TargetSpec = makeSimTarget()): VariantSpec {
  return { name, weight, target };
}

export function makePersonas(overrides: Partial<PersonasSpec> = {}): PersonasSpec {
  return {
    fields: {
      firstName: { kind: 'pick', values: ['Maria', 'James', 'Aiko', 'Tomasz', 'Amara'] },
      dob: { kind: 'date', from: '1940-01-01', to: '2005-12-31' },
      age: { kind: 'int', min: 18, max: 90 },
    },
    traits: {},
    ...overrides,
  };
}

export interface SpecOverrides extends Partial<Omit<Spec, 'variants'>> {
  /** Variants; when absent, one `default` variant on the spec's target. */
  readonly variants?: readonly VariantSpec[];
}

/**
 * A complete resolved Spec. Without `variants`, the spec gets the single `default` variant
 * the loader would give it, carrying the (possibly overridden) target.
 */
export function makeSpec(overrides: SpecOverrides = {}): Spec {
  const target = overrides.target ?? makeSimTarget();
  return {
    version: 1,
    name: 'fixture',
    description: 'a spec built in a test',
    sourcePath: '/tmp/fixture.yaml',
    load: makeLoad(),
    personas: makePersonas(),
    scenarios: [makeScenario('scheduling', 3), makeScenario('refill', 1)],
    thresholds: [],
    report: { formats: ['json'], sampleTranscripts: 5 },
    cost: { prices: {} },
    ...overrides,
    target,
    variants: overrides.variants ?? [makeVariant('default', 1, target)],
  };
}
