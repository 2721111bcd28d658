/**
 * A caller: decides what the persona says next. Scripted callers walk the scenario's
 * turns; LLM callers ask a model. Both run inside a worker, one instance per call.
 */
import type { TurnExpect } from '../spec/types.js';
import type { TokenUsage } from '../results/types.js';

export interface TranscriptEntry {
  readonly speaker: 'caller' | 'agent';
  readonly text: string;
}

export interface CallerLine {
  readonly text: string;
  /** Checks on the agent's reply to this line. */
  readonly expect?: TurnExpect;
  /** Pause before speaking (the caller thinking). */
  readonly pauseMs: number;
}

export interface Caller {
  /** The next line, or null when the caller is done and hangs up. */
  next(transcript: readonly TranscriptEntry[], signal: AbortSignal): Promise<CallerLine | null>;
  /** Tokens spent so far (LLM callers); scripted callers return []. */
  usage(): readonly TokenUsage[];
}
