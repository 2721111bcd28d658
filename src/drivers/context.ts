/** The Handlebars context drivers render paths, headers, bodies and messages with. */
import type { CallJob } from '../plan/types.js';
import type { TemplateContext } from '../persona/template.js';

export function driverContext(job: CallJob, step: { readonly turn: number; readonly callId?: string; readonly text?: string }): TemplateContext {
  return {
    persona: job.persona.fields,
    scenario: job.scenario,
    variant: job.variant,
    turn: step.turn,
    call: { id: job.id, index: job.index },
    ...(step.callId === undefined ? {} : { callId: step.callId }),
    ...(step.text === undefined ? {} : { text: step.text }),
  };
}
