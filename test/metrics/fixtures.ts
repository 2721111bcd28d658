/** Small hand-built specs and outcomes for the metrics tests. */
import type { CallOutcome, CallStatus, TurnRecord } from '../../src/results/types.js';
import type { PhaseSpec, Spec } from '../../src/spec/types.js';
import { createRng } from '../../src/plan/prng.js';
import { makeLoad, makeScenario, makeSpec, makeVariant } from '../support/spec-fixture.js';

export function metricsSpec(o: { phases?: PhaseSpec[]; scenarios?: string[]; variants?: string[]; prices?: Spec['cost']['prices']; calls?: number } = {}): Spec {
  return makeSpec({
    name: 'metrics-test',
    load: makeLoad({ calls: o.calls ?? 100, threads: 2, ...(o.phases ? { phases: o.phases } : {}) }),
    scenarios: (o.scenarios ?? ['scheduling', 'refill']).map((name) => makeScenario(name)),
    variants: (o.variants ?? ['default']).map((name) => makeVariant(name)),
    cost: { prices: o.prices ?? {} },
  });
}

export interface OutcomeInput {
  index: number;
  status?: CallStatus;
  scenario?: string;
  variant?: string;
  segment?: string;
  dueAtMs: number;
  startedAtMs?: number;
  endedAtMs: number;
  responseMs?: number[];
  errorCode?: CallOutcome['errorCode'];
  costUsd?: number;
  usage?: CallOutcome['usage'];
}

/** A consistent outcome: turns spaced evenly between start and end. */
export function outcome(i: OutcomeInput): CallOutcome {
  const status = i.status ?? 'passed';
  const started = status === 'dropped' ? undefined : (i.startedAtMs ?? i.dueAtMs);
  const turns: TurnRecord[] = [];
  if (started !== undefined) {
    const rts = i.responseMs ?? [];
    rts.forEach((rt, n) => {
      const sentAtMs = started + 10 + n * ((i.endedAtMs - started - 10) / Math.max(1, rts.length));
      turns.push({ index: n, said: 'hi', reply: 'hello', sentAtMs, firstByteAtMs: sentAtMs + rt, endAtMs: sentAtMs + rt + 5, responseMs: rt, turnMs: rt + 5 });
    });
  }
  return {
    v: 1,
    index: i.index,
    id: `c-${String(i.index).padStart(6, '0')}`,
    scenario: i.scenario ?? 'scheduling',
    variant: i.variant ?? 'default',
    personaId: `p-${i.index}`,
    ...(i.segment !== undefined ? { segment: i.segment } : {}),
    status,
    ...(i.errorCode ? { errorCode: i.errorCode } : {}),
    dueAtMs: i.dueAtMs,
    ...(started !== undefined ? { startedAtMs: started, connectedAtMs: started + 3, connectMs: 3, durationMs: i.endedAtMs - started } : {}),
    endedAtMs: i.endedAtMs,
    queueWaitMs: (started ?? i.endedAtMs) - i.dueAtMs,
    attempts: 1,
    turns,
    checkFailures: [],
    usage: i.usage ?? [],
    costUsd: i.costUsd ?? 0,
  };
}

/** Deterministic pseudo-random numbers in [0, 1) (the plan's PRNG), so failures reproduce. */
export function seeded(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.float();
}

/** The `run` block of a summary, for tests that only look at the metrics. */
export function runInfo(startMs = 1_700_000_000_000) {
  return { id: 'r1', loadspecVersion: '0.0.0', startedAt: new Date(startMs).toISOString(), endedAt: new Date(startMs + 1).toISOString(), durationMs: 1, settings: {} };
}
