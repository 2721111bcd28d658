/**
 * How long a call is expected to last, before any call is placed: the input to the plan's
 * peak-concurrency estimate (Little's law: calls in flight ≈ arrival rate × call length).
 *
 * A call is its turns, each a pause (the caller thinking) plus the agent's turn time. The
 * turn time comes from what the spec says about the target: the sim driver's p50 latency
 * plus its reply duration, the bundled demo's latency, and otherwise an assumed 1 s,
 * flagged as an assumption so the plan can say so. LLM callers count `llm.maxTurns` (an
 * upper bound, also flagged). Queueing inside the target (capacity) is not modelled: this
 * is the unloaded length.
 */
import type { ScenarioSpec, Spec, TargetSpec } from '../spec/types.js';

/** Turn time assumed for targets the spec says nothing about. */
export const ASSUMED_TURN_MS = 1_000;

export interface TurnTimeEstimate {
  readonly turnMs: number;
  /** Where the number comes from, for the plan's output. */
  readonly basis: string;
  readonly assumed: boolean;
}

export interface ScenarioLength {
  readonly scenario: string;
  readonly turns: number;
  /** Weighted over the variants' targets. */
  readonly expectedMs: number;
}

export interface CallLengthEstimate {
  /** Mean over the scenario and variant weights. */
  readonly expectedMs: number;
  readonly byScenario: readonly ScenarioLength[];
  /** One line per distinct basis, e.g. `sim: p50 300ms + reply 200ms per turn`. */
  readonly basis: readonly string[];
  /** Notes on what was assumed rather than read from the spec. */
  readonly assumptions: readonly string[];
}

export function turnTime(target: TargetSpec): TurnTimeEstimate {
  if (target.driver === 'sim') {
    return { turnMs: target.latency.p50Ms + target.replyDurationMs, basis: `sim latency p50 ${target.latency.p50Ms}ms + reply ${target.replyDurationMs}ms per turn`, assumed: false };
  }
  if (target.url === 'builtin') {
    return { turnMs: target.demo.latencyMs, basis: `demo receptionist latency ${target.demo.latencyMs}ms per turn`, assumed: false };
  }
  return { turnMs: ASSUMED_TURN_MS, basis: `${ASSUMED_TURN_MS}ms per turn assumed for ${target.driver} target ${target.url}`, assumed: true };
}

function turnsOf(scenario: ScenarioSpec): { count: number; pausesMs: number; assumed?: string } {
  const pausesMs = scenario.turns.reduce((sum, turn) => sum + turn.pauseMs, 0);
  if (scenario.caller === 'llm' && scenario.llm) {
    const count = Math.max(scenario.turns.length, scenario.llm.maxTurns);
    return { count, pausesMs, assumed: `scenario ${scenario.name}: an LLM caller, counted at its maxTurns (${count}), an upper bound` };
  }
  return { count: scenario.turns.length, pausesMs };
}

export function estimateCallLength(spec: Pick<Spec, 'scenarios' | 'variants'>): CallLengthEstimate {
  const variantWeight = spec.variants.reduce((sum, v) => sum + v.weight, 0);
  const scenarioWeight = spec.scenarios.reduce((sum, s) => sum + s.weight, 0);
  const variantTurns = spec.variants.map((variant) => ({ weight: variant.weight, time: turnTime(variant.target) }));
  const basis = new Set<string>();
  const assumptions = new Set<string>();
  for (const { time } of variantTurns) {
    basis.add(time.basis);
    if (time.assumed) assumptions.add(time.basis);
  }

  const byScenario = spec.scenarios.map((scenario): ScenarioLength => {
    const turns = turnsOf(scenario);
    if (turns.assumed) assumptions.add(turns.assumed);
    const meanTurnMs = variantWeight > 0 ? variantTurns.reduce((sum, v) => sum + v.weight * v.time.turnMs, 0) / variantWeight : ASSUMED_TURN_MS;
    return { scenario: scenario.name, turns: turns.count, expectedMs: turns.pausesMs + turns.count * meanTurnMs };
  });
  const expectedMs = scenarioWeight > 0 ? byScenario.reduce((sum, s, i) => sum + (spec.scenarios[i]?.weight ?? 0) * s.expectedMs, 0) / scenarioWeight : 0;
  return { expectedMs, byScenario, basis: [...basis], assumptions: [...assumptions] };
}
