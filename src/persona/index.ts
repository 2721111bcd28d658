/**
 * The caller factory: one caller per call, chosen by the scenario's `caller` kind. New
 * kinds (the LLM caller) plug in here and nowhere else.
 */
import { CallError } from '../errors.js';
import type { CallJob, Persona } from '../plan/types.js';
import type { ScenarioSpec, Spec } from '../spec/types.js';
import { ScriptedCaller } from './scripted.js';
import type { Caller } from './types.js';

export interface CallerContext {
  readonly job: CallJob;
  readonly spec: Spec;
}

export function createCaller(scenario: ScenarioSpec, persona: Persona, context: CallerContext): Caller {
  switch (scenario.caller) {
    case 'scripted':
      return new ScriptedCaller(scenario, persona, context);
    case 'llm':
      throw new CallError('internal', `scenario "${scenario.name}": LLM callers are not available in this build of loadspec`);
  }
}

export { ScriptedCaller };
