/**
 * One line of calls.jsonl: the outcome of one call. It is the unit of truth: every summary,
 * report and threshold verdict can be recomputed from these lines (`loadspec report`).
 * Times ending in `AtMs` are Unix epoch milliseconds with sub-millisecond precision.
 */
import type { CallErrorCode } from '../errors.js';

export const OUTCOME_VERSION = 1;

export type CallStatus = 'passed' | 'failed' | 'error' | 'dropped';

export interface TurnRecord {
  readonly index: number;
  /** What the caller said (after templating). */
  readonly said: string;
  /** What the agent replied; truncated to 2,000 characters. */
  readonly reply: string;
  /** End of the caller's utterance. */
  readonly sentAtMs: number;
  /** First byte (or audio frame) of the agent's reply; absent when none came. */
  readonly firstByteAtMs?: number;
  /** End of the agent's reply. */
  readonly endAtMs?: number;
  /** firstByteAtMs - sentAtMs: the metric `response_time`. */
  readonly responseMs?: number;
  /** endAtMs - sentAtMs: the metric `turn_time`. */
  readonly turnMs?: number;
}

export interface CheckFailure {
  /** `turn 2: contains "confirmed"`, `call: endedBy agent`, `judge: polite`. */
  readonly check: string;
  /** What was seen instead, e.g. the agent's reply. */
  readonly actual: string;
  readonly turnIndex?: number;
}

export interface JudgeVerdict {
  readonly passed: boolean;
  readonly criteria: readonly { readonly criterion: string; readonly passed: boolean; readonly reason: string }[];
}

export interface TokenUsage {
  readonly purpose: 'caller' | 'judge';
  readonly model: string;
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface CallOutcome {
  readonly v: typeof OUTCOME_VERSION;
  readonly index: number;
  readonly id: string;
  readonly scenario: string;
  readonly variant: string;
  readonly personaId: string;
  readonly segment?: string;
  readonly status: CallStatus;
  readonly errorCode?: CallErrorCode;
  readonly errorMessage?: string;
  readonly dueAtMs: number;
  /** When the call really started (after the concurrency gate and pool queue). */
  readonly startedAtMs?: number;
  /** When the driver had the call connected. */
  readonly connectedAtMs?: number;
  readonly endedAtMs: number;
  /** startedAtMs - dueAtMs (for a dropped call: how long it waited before it was dropped). */
  readonly queueWaitMs: number;
  readonly connectMs?: number;
  /** endedAtMs - startedAtMs. */
  readonly durationMs?: number;
  readonly endedBy?: 'caller' | 'agent' | 'loadspec';
  readonly attempts: number;
  readonly turns: readonly TurnRecord[];
  readonly checkFailures: readonly CheckFailure[];
  readonly judge?: JudgeVerdict;
  readonly usage: readonly TokenUsage[];
  /** US dollars spent on this call (LLM tokens, telephony). */
  readonly costUsd: number;
  /** Worker thread that ran the call (absent for dropped calls). */
  readonly threadId?: number;
}
