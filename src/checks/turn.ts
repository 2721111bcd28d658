/**
 * Per-turn checks: what the agent replied to one caller line (contains, matches, not) and
 * how fast its first reply byte came (within). Turns are numbered from 1 in messages, as
 * people count them; `turnIndex` stays 0-based like the transcript.
 */
import type { CheckFailure } from '../results/types.js';
import type { TurnExpect } from '../spec/types.js';
import { textHits, textMisses } from './text.js';

export interface TurnSeen {
  readonly reply: string;
  /** Caller's utterance end to the agent's first reply byte. */
  readonly responseMs: number;
}

const ACTUAL_LIMIT = 200;

export function checkTurn(expect: TurnExpect | undefined, seen: TurnSeen, turnIndex: number): CheckFailure[] {
  if (!expect) return [];
  const label = `turn ${turnIndex + 1}`;
  const actual = seen.reply.length > ACTUAL_LIMIT ? `${seen.reply.slice(0, ACTUAL_LIMIT)}…` : seen.reply;
  const failures: CheckFailure[] = [];
  for (const miss of textMisses(expect, seen.reply)) failures.push({ check: `${label}: ${miss.check}`, actual, turnIndex });
  if (expect.not) {
    for (const hit of textHits(expect.not, seen.reply)) failures.push({ check: `${label}: ${hit.check}`, actual, turnIndex });
  }
  if (expect.withinMs !== undefined && seen.responseMs > expect.withinMs) {
    failures.push({ check: `${label}: within ${expect.withinMs}ms`, actual: `${Math.round(seen.responseMs)}ms`, turnIndex });
  }
  return failures;
}
