import type { CallJob } from '../plan/types.js';
import { OUTCOME_VERSION, type CallOutcome } from './types.js';

/** The fields of an outcome that come from the planned job alone, before anything happened. */
export function outcomeBase(
  job: CallJob,
  dueAtMs: number,
): Pick<CallOutcome, 'v' | 'index' | 'id' | 'scenario' | 'variant' | 'personaId' | 'segment' | 'dueAtMs' | 'turns' | 'checkFailures' | 'usage' | 'costUsd'> {
  return {
    v: OUTCOME_VERSION,
    index: job.index,
    id: job.id,
    scenario: job.scenario,
    variant: job.variant,
    personaId: job.persona.id,
    ...(job.persona.segment === undefined ? {} : { segment: job.persona.segment }),
    dueAtMs,
    turns: [],
    checkFailures: [],
    usage: [],
    costUsd: 0,
  };
}
