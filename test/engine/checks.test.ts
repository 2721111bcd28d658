import { describe, expect, it } from 'vitest';
import { checkCall } from '../../src/checks/call.js';
import { checkTurn } from '../../src/checks/turn.js';

describe('turn checks', () => {
  const reply = 'Riverside Clinic: your appointment is confirmed for Tuesday.';

  it('passes when every part holds', () => {
    expect(checkTurn({ contains: ['CONFIRMED', 'tuesday'], matches: '(?i)riverside', not: { contains: ['sorry'] }, withinMs: 500 }, { reply, responseMs: 120 }, 0)).toEqual([]);
    expect(checkTurn(undefined, { reply, responseMs: 1e9 }, 0)).toEqual([]);
  });

  it('names each failed part with the 1-based turn and what was seen', () => {
    const failures = checkTurn(
      { contains: ['cancelled'], matches: '^Sorry', not: { contains: ['tuesday'], matches: 'Clinic' }, withinMs: 100 },
      { reply, responseMs: 250.4 },
      1,
    );
    expect(failures.map((f) => f.check)).toEqual([
      'turn 2: contains "cancelled"',
      'turn 2: matches /^Sorry/',
      'turn 2: not contains "tuesday"',
      'turn 2: not matches /Clinic/',
      'turn 2: within 100ms',
    ]);
    expect(failures[0]).toMatchObject({ actual: reply, turnIndex: 1 });
    expect(failures[4]!.actual).toBe('250ms');
  });

  it('matches is case-sensitive unless (?i)', () => {
    expect(checkTurn({ matches: 'riverside' }, { reply, responseMs: 0 }, 0)).toHaveLength(1);
    expect(checkTurn({ matches: '(?i)riverside' }, { reply, responseMs: 0 }, 0)).toHaveLength(0);
  });
});

describe('call checks', () => {
  it('checks turn counts and who hung up', () => {
    expect(checkCall({ minTurns: 2, maxTurns: 4, endedBy: 'caller' }, { turns: 3, endedBy: 'caller' })).toEqual([]);
    expect(checkCall({ minTurns: 2, maxTurns: 4, endedBy: 'agent' }, { turns: 5, endedBy: 'caller' })).toEqual([
      { check: 'call: maxTurns 4', actual: '5 turns' },
      { check: 'call: endedBy agent', actual: 'ended by caller' },
    ]);
    expect(checkCall({ minTurns: 2 }, { turns: 1, endedBy: 'agent' })).toEqual([{ check: 'call: minTurns 2', actual: '1 turns' }]);
  });
});
