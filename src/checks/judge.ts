/**
 * The LLM judge: after a call, a model reads the transcript and decides each rubric
 * criterion pass/fail with a reason. The answer is structured output (a strict JSON
 * schema response format), so it is parsed, never scraped. A failed criterion makes the
 * call `failed` with `judge_failed`; a judge that cannot answer is an `llm_*` error, never
 * a silent pass.
 *
 * Judging waits for a permit of the run-wide judge semaphore (llm.judgeConcurrency), so a
 * run can place calls faster than it judges them.
 */
import type OpenAI from 'openai';
import { CallError } from '../errors.js';
import { chat } from '../llm/request.js';
import { llmRuntime, type LlmRuntime } from '../llm/runtime.js';
import { UsageMeter } from '../llm/usage.js';
import { LlmCaller } from '../persona/llm.js';
import type { Caller, TranscriptEntry } from '../persona/types.js';
import type { CheckFailure, JudgeVerdict, TokenUsage } from '../results/types.js';
import type { JudgeSpec, ScenarioSpec, Spec } from '../spec/types.js';

export const JUDGE_SCHEMA_NAME = 'call_verdict';
/** Per criterion: a boolean and a sentence. */
const EXPECTED_TOKENS_PER_CRITERION = 60;

export function judgeResponseFormat(rubric: readonly string[]): OpenAI.ResponseFormatJSONSchema {
  return {
    type: 'json_schema',
    json_schema: {
      name: JUDGE_SCHEMA_NAME,
      strict: true,
      schema: {
        type: 'object',
        properties: {
          criteria: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                criterion: { type: 'string', enum: [...rubric] },
                passed: { type: 'boolean' },
                reason: { type: 'string' },
              },
              required: ['criterion', 'passed', 'reason'],
              additionalProperties: false,
            },
          },
        },
        required: ['criteria'],
        additionalProperties: false,
      },
    },
  };
}

const JUDGE_SYSTEM_PROMPT = [
  "You review phone calls between a caller and a medical clinic's AI receptionist.",
  'For each criterion, decide from the transcript alone whether it holds: passed is true only when the transcript clearly shows it.',
  'Give a one-sentence reason for each, quoting the transcript where it helps. Answer every criterion, in the order given.',
].join('\n');

export function judgeMessages(rubric: readonly string[], transcript: readonly TranscriptEntry[], goal?: string): OpenAI.Chat.ChatCompletionMessageParam[] {
  const lines = transcript.map((entry) => `${entry.speaker === 'caller' ? 'Caller' : 'Receptionist'}: ${entry.text}`);
  const user = [
    ...(goal ? [`The caller's goal: ${goal}`, ''] : []),
    'Criteria:',
    ...rubric.map((criterion, index) => `${index + 1}. ${criterion}`),
    '',
    'Transcript:',
    ...(lines.length > 0 ? lines : ['(nothing was said)']),
  ].join('\n');
  return [
    { role: 'system', content: JUDGE_SYSTEM_PROMPT },
    { role: 'user', content: user },
  ];
}

/** Reads the judge's JSON into a verdict covering every criterion of the rubric, in order. */
export function parseVerdict(rubric: readonly string[], content: string): JudgeVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw new CallError('llm_error', `the judge answered with invalid JSON: ${content.slice(0, 200)}`);
  }
  const items = (parsed as { criteria?: unknown } | null)?.criteria;
  if (!Array.isArray(items)) throw new CallError('llm_error', 'the judge answer has no `criteria` list');
  const byName = new Map<string, { passed: boolean; reason: string }>();
  for (const item of items as unknown[]) {
    const { criterion, passed, reason } = (item ?? {}) as Record<string, unknown>;
    if (typeof criterion !== 'string' || typeof passed !== 'boolean') continue;
    byName.set(normalize(criterion), { passed, reason: typeof reason === 'string' ? reason : '' });
  }
  const criteria = rubric.map((criterion) => {
    const found = byName.get(normalize(criterion));
    if (!found) throw new CallError('llm_error', `the judge gave no verdict on "${criterion}"`);
    return { criterion, passed: found.passed, reason: found.reason };
  });
  return { passed: criteria.every((entry) => entry.passed), criteria };
}

function normalize(criterion: string): string {
  return criterion.trim().toLowerCase();
}

export interface JudgeCallOptions {
  readonly judge: JudgeSpec;
  readonly transcript: readonly TranscriptEntry[];
  /** The LLM caller's goal, when the caller was one. */
  readonly goal?: string;
  readonly runtime: LlmRuntime;
  /** The call's meter; the judge's tokens are added with purpose `judge`. */
  readonly meter: UsageMeter;
  readonly signal: AbortSignal;
}

/** Judges one call; throws CallError (llm_*) when the judge cannot answer. */
export async function judgeCall(options: JudgeCallOptions): Promise<JudgeVerdict> {
  const { judge, runtime, signal } = options;
  const answer = await runtime.judges.with(
    () =>
      chat(
        runtime,
        {
          model: judge.model,
          messages: judgeMessages(judge.rubric, options.transcript, options.goal),
          temperature: 0,
          responseFormat: judgeResponseFormat(judge.rubric),
          stream: false,
          expectedOutputTokens: EXPECTED_TOKENS_PER_CRITERION * judge.rubric.length,
        },
        signal,
      ),
    signal,
  ).catch((error: unknown) => {
    // The semaphore wait itself can be aborted; that is the call stopping, not the judge failing.
    if (error instanceof CallError) throw error;
    if (signal.aborted) throw new CallError('aborted', 'the call was stopped while waiting to be judged');
    throw error;
  });
  options.meter.add('judge', judge.model, answer);
  if (answer.refusal) throw new CallError('llm_error', `the judge refused: ${answer.refusal.slice(0, 200)}`);
  return parseVerdict(judge.rubric, answer.text);
}

/** One check failure per failed criterion, for the outcome's checkFailures. */
export function judgeFailures(verdict: JudgeVerdict): CheckFailure[] {
  return verdict.criteria.filter((entry) => !entry.passed).map((entry) => ({ check: `judge: ${entry.criterion}`, actual: entry.reason }));
}

export interface JudgedCall {
  readonly verdict?: JudgeVerdict;
  /** One per failed criterion. */
  readonly failures: readonly CheckFailure[];
  /** The judge's tokens (purpose `judge`), billed even when its answer was unusable. */
  readonly usage: readonly TokenUsage[];
  /** The judge could not answer: the call ends in this error instead. */
  readonly error?: CallError;
}

export interface JudgeEndedCallOptions {
  readonly spec: Spec;
  readonly scenario: ScenarioSpec;
  readonly transcript: readonly TranscriptEntry[];
  /** The call's caller; an LLM caller's goal is shown to the judge. */
  readonly caller: Caller | undefined;
  /** WorkerInit.shared, for the run-wide judge concurrency. */
  readonly shared?: SharedArrayBuffer;
  readonly signal: AbortSignal;
}

/**
 * Judges a call that ended normally (the call runner runs it after hang-up, so a judge
 * queue never holds the receptionist's line open). Never throws.
 */
export async function judgeEndedCall(options: JudgeEndedCallOptions): Promise<JudgedCall> {
  const judge = options.scenario.judge;
  if (!judge) return { failures: [], usage: [] };
  const meter = new UsageMeter();
  try {
    const verdict = await judgeCall({
      judge,
      transcript: options.transcript,
      ...(options.caller instanceof LlmCaller ? { goal: options.caller.goal } : {}),
      runtime: llmRuntime(options.spec, options.shared),
      meter,
      signal: options.signal,
    });
    return { verdict, failures: judgeFailures(verdict), usage: meter.entries() };
  } catch (error) {
    const callError = error instanceof CallError ? error : new CallError('internal', `loadspec failed while judging the call: ${error instanceof Error ? error.message : String(error)}`);
    return { failures: [], usage: meter.entries(), error: callError };
  }
}
