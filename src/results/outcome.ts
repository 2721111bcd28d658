import type { CallJob } from '../plan/types.js';
import { OUTCOME_VERSION, type CallOutcome } from './types.js';

/**
 * The fields of an outcome that come from the planned job alone. Spread first, so every
 * line of calls.jsonl starts with who the call was; the transcript goes last.
 */
export function outcomeBase(job: CallJob, dueAtMs: number): Pick<CallOutcome, 'v' | 'index' | 'id' | 'scenario' | 'variant' | 'personaId' | 'segment' | 'dueAtMs'> {
  return {
    v: OUTCOME_VERSION,
    index: job.index,
    id: job.id,
    scenario: job.scenario,
    variant: job.variant,
    personaId: job.persona.id,
    ...(job.persona.segment === undefined ? {} : { segment: job.persona.segment }),
    dueAtMs,
  };
}

/** The record fields of a call that never got to talk. */
export const NO_CONVERSATION: Pick<CallOutcome, 'turns' | 'checkFailures' | 'usage' | 'costUsd'> = Object.freeze({ turns: [], checkFailures: [], usage: [], costUsd: 0 });
