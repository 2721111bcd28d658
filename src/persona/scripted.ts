/**
 * The scripted caller: says the scenario's turns in order, each rendered with Handlebars
 * against the persona, then hangs up. It never looks at the agent's replies (checks do).
 */
import type { Persona } from '../plan/types.js';
import type { ScenarioSpec } from '../spec/types.js';
import type { TokenUsage } from '../results/types.js';
import { renderTemplate } from './template.js';
import type { Caller, CallerLine, TranscriptEntry } from './types.js';
import type { CallerContext } from './index.js';

export class ScriptedCaller implements Caller {
  constructor(
    private readonly scenario: ScenarioSpec,
    private readonly persona: Persona,
    private readonly context: CallerContext,
  ) {}

  next(transcript: readonly TranscriptEntry[]): Promise<CallerLine | null> {
    let said = 0;
    for (const entry of transcript) if (entry.speaker === 'caller') said++;
    const turn = this.scenario.turns[said];
    if (!turn) return Promise.resolve(null);
    const text = renderTemplate(turn.say, {
      persona: this.persona.fields,
      scenario: this.scenario.name,
      variant: this.context.job.variant,
      turn: said,
      call: { id: this.context.job.id, index: this.context.job.index },
    });
    return Promise.resolve({ text, pauseMs: turn.pauseMs, ...(turn.expect ? { expect: turn.expect } : {}) });
  }

  /** Scripted lines cost nothing. */
  usage(): readonly TokenUsage[] {
    return [];
  }

  /** Lines the script still has after `said` lines: an agent hanging up before then cut the caller off. */
  remainingAfter(said: number): number {
    return Math.max(0, this.scenario.turns.length - said);
  }
}
