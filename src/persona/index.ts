/**
 * The caller factory: one caller per call, chosen by the scenario's `caller` kind. New
 * kinds (the LLM caller) plug in here and nowhere else.
 */
import type { CallJob, Persona } from '../plan/types.js';
import type { ScenarioSpec, Spec } from '../spec/types.js';
import { createLlmCaller } from './llm.js';
import { ScriptedCaller } from './scripted.js';
import type { Caller } from './types.js';

export interface CallerContext {
  readonly job: CallJob;
  readonly spec: Spec;
  /** WorkerInit.shared: the LLM limits every worker thread shares. */
  readonly shared?: SharedArrayBuffer;
}

export function createCaller(scenario: ScenarioSpec, persona: Persona, context: CallerContext): Caller {
  switch (scenario.caller) {
    case 'scripted':
      return new ScriptedCaller(scenario, persona, context);
    case 'llm':
      return createLlmCaller(context.spec, scenario, context.job, context.shared);
  }
}

export { ScriptedCaller };
