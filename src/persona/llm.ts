/**
 * The LLM caller (`caller: llm`): a model plays the patient. Each turn it writes the
 * caller's next line from the persona, the scenario's goal and the transcript so far, and
 * ends its line with <HANGUP> when a real caller would hang up (goal met, or given up).
 *
 * Roles are from the model's point of view: it *is* the caller, so the caller's own lines
 * are `assistant` messages and the receptionist's lines are `user` messages.
 */
import type OpenAI from 'openai';
import { CallError } from '../errors.js';
import { chat } from '../llm/request.js';
import { llmRuntime, type LlmRuntime } from '../llm/runtime.js';
import { UsageMeter } from '../llm/usage.js';
import type { CallJob } from '../plan/types.js';
import type { TokenUsage } from '../results/types.js';
import type { LlmCallerSpec, ScenarioSpec, Spec } from '../spec/types.js';
import { renderTemplate, type TemplateContext } from './template.js';
import type { Caller, CallerLine, TranscriptEntry } from './types.js';

/** What the model writes to say "I hang up now". */
export const HANGUP_TOKEN = '<HANGUP>';
const HANGUP_PATTERN = /<\s*hang[\s_-]*up\s*>|\[\s*hang[\s_-]*up\s*\]/gi;
/** Speaker labels and wrapping quotes models like to add; none of it is speech. */
const LABEL_PATTERN = /^\s*(?:caller|patient|me|you)\s*:\s*/i;
/** A caller line is a sentence or two; the estimate only feeds the tokens-per-minute limiter. */
const EXPECTED_LINE_TOKENS = 60;
/** Sent in place of a first agent line, so every conversation opens with a `user` message. */
export const CALL_CONNECTED = '[The call connects. The clinic has picked up.]';

type Message = OpenAI.Chat.ChatCompletionMessageParam;

export function callerSystemPrompt(goal: string, persona: Readonly<Record<string, string>>): string {
  const details = Object.entries(persona).map(([field, value]) => `- ${field}: ${value}`);
  return [
    "You are role-playing a patient phoning a medical clinic. You are the CALLER; the other party is the clinic's receptionist.",
    '',
    'About you:',
    ...(details.length > 0 ? details : ['- (no details given; invent plausible ones)']),
    '',
    `Your goal for this call: ${goal}`,
    '',
    'Rules:',
    '- Speak only as the caller, in the first person. Never write the receptionist\'s lines.',
    '- Reply with one short spoken line (one or two sentences): no stage directions, no quotes, no speaker labels.',
    '- Answer the receptionist\'s questions with your details above; if asked for something not listed, invent a plausible answer.',
    `- When your goal is met, or a real caller would give up, end your line with ${HANGUP_TOKEN}. If you have nothing more to say, reply with only ${HANGUP_TOKEN}.`,
  ].join('\n');
}

/** The chat messages for the next caller line: agent lines as `user`, the caller's own as `assistant`. */
export function callerMessages(systemPrompt: string, transcript: readonly TranscriptEntry[]): Message[] {
  const turns: { role: 'user' | 'assistant'; content: string }[] = [{ role: 'user', content: CALL_CONNECTED }];
  for (const entry of transcript) {
    const role = entry.speaker === 'agent' ? 'user' : 'assistant';
    const last = turns[turns.length - 1];
    // Strict chat templates want roles to alternate: fold consecutive lines of one speaker.
    if (last && last.role === role) last.content = `${last.content}\n${entry.text}`;
    else turns.push({ role, content: entry.text });
  }
  return [{ role: 'system', content: systemPrompt }, ...turns];
}

/** Splits a model reply into the spoken line and whether the caller hangs up. */
export function parseCallerReply(reply: string): { readonly text: string; readonly hangup: boolean } {
  const hangup = HANGUP_PATTERN.test(reply);
  HANGUP_PATTERN.lastIndex = 0;
  let text = reply.replace(HANGUP_PATTERN, ' ').replace(LABEL_PATTERN, '').replace(/\s+/g, ' ').trim();
  if (text.length >= 2 && /^["'“].*["'”]$/.test(text)) text = text.slice(1, -1).trim();
  return { text, hangup };
}

export interface LlmCallerOptions {
  readonly llm: LlmCallerSpec;
  readonly job: CallJob;
  readonly runtime: LlmRuntime;
}

export class LlmCaller implements Caller {
  readonly #llm: LlmCallerSpec;
  readonly #runtime: LlmRuntime;
  readonly #context: TemplateContext;
  readonly #systemPrompt: string;
  readonly #meter = new UsageMeter();
  #linesSaid = 0;
  #done = false;

  constructor(options: LlmCallerOptions) {
    const { job } = options;
    this.#llm = options.llm;
    this.#runtime = options.runtime;
    this.#context = { persona: job.persona.fields, scenario: job.scenario, variant: job.variant, turn: 0, call: { id: job.id, index: job.index } };
    this.#systemPrompt = callerSystemPrompt(this.goal, job.persona.fields);
  }

  /** The goal with the persona filled in (the judge sees it too). */
  get goal(): string {
    return renderTemplate(this.#llm.goal, this.#context);
  }

  async next(transcript: readonly TranscriptEntry[], signal: AbortSignal): Promise<CallerLine | null> {
    if (this.#done || this.#linesSaid >= this.#llm.maxTurns) return null;
    if (this.#linesSaid === 0 && this.#llm.opening !== undefined) {
      this.#linesSaid++;
      return { text: renderTemplate(this.#llm.opening, this.#context), pauseMs: 0 };
    }
    const answer = await chat(
      this.#runtime,
      {
        model: this.#llm.model,
        messages: callerMessages(this.#systemPrompt, transcript),
        temperature: this.#llm.temperature,
        stream: true,
        expectedOutputTokens: EXPECTED_LINE_TOKENS,
      },
      signal,
    );
    this.#meter.add('caller', this.#llm.model, answer);
    if (answer.refusal) throw new CallError('llm_error', `the caller model refused: ${answer.refusal.slice(0, 200)}`);
    const { text, hangup } = parseCallerReply(answer.text);
    if (text === '') {
      this.#done = true;
      return null;
    }
    this.#linesSaid++;
    if (hangup) this.#done = true;
    return { text, pauseMs: 0 };
  }

  usage(): readonly TokenUsage[] {
    return this.#meter.entries();
  }
}

/** The LLM caller for one call in a worker; `shared` is WorkerInit.shared. */
export function createLlmCaller(spec: Spec, scenario: ScenarioSpec, job: CallJob, shared?: SharedArrayBuffer): LlmCaller {
  if (!scenario.llm) throw new CallError('internal', `scenario "${scenario.name}" has caller: llm but no llm settings`);
  return new LlmCaller({ llm: scenario.llm, job, runtime: llmRuntime(spec, shared) });
}
