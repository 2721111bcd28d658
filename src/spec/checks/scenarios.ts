/** Scenario checks: something to say, a goal for LLM callers, a rubric for judges, patterns that compile. */
import { isRecord } from '../raw.js';
import { regexError } from '../regex.js';
import type { SpecPath } from '../source.js';
import { parseDuration } from '../units.js';
import { report, warn, type CheckContext } from './context.js';
import { checkTemplate } from './templates.js';

export function checkScenarios(context: CheckContext): void {
  const scenarios = context.raw.scenarios;
  if (!Array.isArray(scenarios)) return;
  scenarios.forEach((scenario: unknown, index) => {
    if (!isRecord(scenario)) return;
    const at: SpecPath = ['scenarios', index];
    const name = typeof scenario.name === 'string' ? `scenario "${scenario.name}"` : `scenarios[${index}]`;
    const caller = scenario.caller ?? 'scripted';
    const turns = scenario.turns;
    if (caller === 'scripted' && (!Array.isArray(turns) || turns.length === 0)) {
      report(context, `${name} is scripted but has no turns`, Array.isArray(turns) ? [...at, 'turns'] : at, {
        atKey: Array.isArray(turns),
        hint: 'add turns with a `say:` line each, or set `caller: llm` with llm.goal',
      });
    }
    if (caller === 'llm') {
      const llm = scenario.llm;
      if (!isRecord(llm) || typeof llm.goal !== 'string' || llm.goal.trim() === '') {
        report(context, `${name} has caller: llm but no llm.goal`, isRecord(llm) ? [...at, 'llm'] : [...at, 'caller'], {
          atKey: isRecord(llm),
          hint: 'say what the caller wants, e.g. llm: { goal: "book a check-up next week" }',
        });
      }
    } else if (scenario.llm !== undefined) {
      warn(context, `${name}: llm settings are ignored because the caller is scripted`, [...at, 'llm'], { atKey: true, hint: 'set `caller: llm` to let a model play the caller' });
    }
    if (isRecord(scenario.llm)) {
      checkTemplate(context, scenario.llm.goal, [...at, 'llm', 'goal']);
      checkTemplate(context, scenario.llm.opening, [...at, 'llm', 'opening']);
    }
    if (isRecord(scenario.judge) && (!Array.isArray(scenario.judge.rubric) || scenario.judge.rubric.length === 0)) {
      report(context, `${name} has a judge without a rubric`, [...at, 'judge'], { atKey: true, hint: 'list what the transcript must show, e.g. rubric: ["the agent confirmed the date"]' });
    }
    if (isRecord(scenario.expect) && typeof scenario.expect.minTurns === 'number' && typeof scenario.expect.maxTurns === 'number' && scenario.expect.minTurns > scenario.expect.maxTurns) {
      report(context, `${name}: expect.minTurns (${scenario.expect.minTurns}) is more than expect.maxTurns (${scenario.expect.maxTurns})`, [...at, 'expect'], { atKey: true });
    }
    if (Array.isArray(turns)) turns.forEach((turn: unknown, turnIndex) => checkTurn(context, turn, [...at, 'turns', turnIndex]));
  });
}

function checkTurn(context: CheckContext, turn: unknown, at: SpecPath): void {
  if (!isRecord(turn)) return;
  checkTemplate(context, turn.say, [...at, 'say']);
  const expect = turn.expect;
  if (!isRecord(expect)) return;
  checkPattern(context, expect.matches, [...at, 'expect', 'matches']);
  checkWithin(context, expect.within, [...at, 'expect', 'within']);
  if (isRecord(expect.not)) checkPattern(context, expect.not.matches, [...at, 'expect', 'not', 'matches']);
}

function checkPattern(context: CheckContext, pattern: unknown, at: SpecPath): void {
  if (typeof pattern !== 'string') return;
  const error = regexError(pattern);
  if (error !== null) {
    report(context, `${error.replace(/^Invalid regular expression: /, 'invalid regular expression ')}`, at, {
      hint: 'patterns are JavaScript regular expressions; a (?i) prefix ignores case; quote them in YAML',
    });
  }
}

/** A `within` past the turn timeout can never be what fails the turn: the timeout ends it first. */
function checkWithin(context: CheckContext, within: unknown, at: SpecPath): void {
  const target = context.raw.target;
  const written = isRecord(target) && target.turnTimeout !== undefined ? target.turnTimeout : '30s';
  const limit = parseDuration(written);
  const wanted = parseDuration(within);
  if (limit.ok && wanted.ok && wanted.value > limit.value) {
    warn(context, `expect.within (${String(within)}) is longer than target.turnTimeout (${String(written)}); the turn times out first`, at, {
      hint: 'lower within, or raise target.turnTimeout',
    });
  }
}
