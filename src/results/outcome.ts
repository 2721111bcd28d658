import type { CallJob } from '../plan/types.js';
import { OUTCOME_VERSION, type CallOutcome } from './types.js';

/**
 * The fields of an outcome that come from the planned job alone. Spread first, so every
 * line of calls.jsonl starts with who the call was; the transcript goes last.
 */
type OutcomeBase = Pick<CallOutcome, 'v' | 'index' | 'id' | 'scenario' | 'variant' | 'personaId' | 'segment' | 'dueAtMs'>;

export function outcomeBase(job: CallJob, dueAtMs: number): OutcomeBase {
  // dueAtMs is set last (after segment) to keep the key order of calls.jsonl.
  const base = {
    v: OUTCOME_VERSION,
    index: job.index,
    id: job.id,
    scenario: job.scenario,
    variant: job.variant,
    personaId: job.persona.id,
  } as { -readonly [K in keyof OutcomeBase]: OutcomeBase[K] };
  // Assigned rather than spread in: this runs once per call on the hot path.
  if (job.persona.segment !== undefined) base.segment = job.persona.segment;
  base.dueAtMs = dueAtMs;
  return base;
}

/** The record fields of a call that never got to talk. */
export const NO_CONVERSATION: Pick<CallOutcome, 'turns' | 'checkFailures' | 'usage' | 'costUsd'> = Object.freeze({ turns: [], checkFailures: [], usage: [], costUsd: 0 });
