/** Per-call checks, once the call is over: how many turns it took and who hung up. */
import type { CheckFailure } from '../results/types.js';
import type { CallExpect } from '../spec/types.js';

export interface CallSeen {
  readonly turns: number;
  readonly endedBy: 'caller' | 'agent' | 'loadspec';
}

export function checkCall(expect: CallExpect | undefined, seen: CallSeen): CheckFailure[] {
  if (!expect) return [];
  const failures: CheckFailure[] = [];
  if (expect.minTurns !== undefined && seen.turns < expect.minTurns) {
    failures.push({ check: `call: minTurns ${expect.minTurns}`, actual: `${seen.turns} turns` });
  }
  if (expect.maxTurns !== undefined && seen.turns > expect.maxTurns) {
    failures.push({ check: `call: maxTurns ${expect.maxTurns}`, actual: `${seen.turns} turns` });
  }
  if (expect.endedBy !== undefined && seen.endedBy !== expect.endedBy) {
    failures.push({ check: `call: endedBy ${expect.endedBy}`, actual: `ended by ${seen.endedBy}` });
  }
  return failures;
}
