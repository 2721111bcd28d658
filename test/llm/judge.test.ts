import { afterEach, describe, expect, it } from 'vitest';
import { judgeCall, judgeFailures, judgeResponseFormat, parseVerdict, JUDGE_SCHEMA_NAME } from '../../src/checks/judge.js';
import { CallError } from '../../src/errors.js';
import { createLlmRuntime, type LlmRuntime } from '../../src/llm/runtime.js';
import { UsageMeter } from '../../src/llm/usage.js';
import type { TranscriptEntry } from '../../src/persona/types.js';
import { startOpenAiServer, type OpenAiServerOptions, type OpenAiTestServer } from '../support/openai-server.js';
import { llmSpec } from './fixtures.js';

const RUBRIC = ['The receptionist asked for the date of birth', 'The appointment was confirmed', 'The receptionist stayed polite'];
const TRANSCRIPT: TranscriptEntry[] = [
  { speaker: 'caller', text: 'Hi, I need a follow-up.' },
  { speaker: 'agent', text: 'Sure. What is your date of birth?' },
  { speaker: 'caller', text: 'March 14, 1950.' },
  { speaker: 'agent', text: 'Thanks. I have Tuesday at 9.' },
];

let server: OpenAiTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(options: OpenAiServerOptions = {}, judgeConcurrency = 2): Promise<LlmRuntime> {
  server = await startOpenAiServer(options);
  return createLlmRuntime(llmSpec({ llm: { baseURL: server.baseURL, apiKey: 'sk-judge-test-key', judgeConcurrency } }), undefined, {});
}

describe('LLM judge', () => {
  it('asks for a strict JSON schema verdict and records per-criterion results and billed usage', async () => {
    const runtime = await setup({ judge: (criterion) => (criterion.includes('confirmed') ? { passed: false, reason: 'Tuesday was offered, never confirmed.' } : { passed: true, reason: 'Yes.' }) });
    const meter = new UsageMeter();
    const verdict = await judgeCall({ judge: { rubric: RUBRIC, model: 'gpt-4.1-mini' }, transcript: TRANSCRIPT, goal: 'book a follow-up', runtime, meter, signal: new AbortController().signal });
    expect(verdict).toEqual({
      passed: false,
      criteria: [
        { criterion: RUBRIC[0], passed: true, reason: 'Yes.' },
        { criterion: RUBRIC[1], passed: false, reason: 'Tuesday was offered, never confirmed.' },
        { criterion: RUBRIC[2], passed: true, reason: 'Yes.' },
      ],
    });
    expect(judgeFailures(verdict)).toEqual([{ check: `judge: ${RUBRIC[1]}`, actual: 'Tuesday was offered, never confirmed.' }]);
    expect(meter.entries()).toEqual([{ purpose: 'judge', model: 'gpt-4.1-mini', requests: 1, inputTokens: server!.ledger.promptTokens, outputTokens: server!.ledger.completionTokens }]);
    const request = server!.received[0]!;
    expect(request).toMatchObject({ kind: 'judge', stream: false, model: 'gpt-4.1-mini' });
    expect(request.body.temperature).toBe(0);
    expect(request.body.response_format).toEqual(judgeResponseFormat(RUBRIC));
    expect(request.body.response_format?.json_schema).toMatchObject({ name: JUDGE_SCHEMA_NAME, strict: true });
    const user = request.body.messages[1]!.content;
    expect(user).toContain("The caller's goal: book a follow-up");
    expect(user).toContain('2. The appointment was confirmed');
    expect(user).toContain('Receptionist: Sure. What is your date of birth?');
  });

  it('a judge that cannot answer is an llm_error, never a pass', async () => {
    expect(() => parseVerdict(RUBRIC, 'not json')).toThrow(CallError);
    expect(() => parseVerdict(RUBRIC, '{"verdict":true}')).toThrow(/no `criteria`/);
    const partial = JSON.stringify({ criteria: [{ criterion: RUBRIC[0], passed: true, reason: '' }] });
    expect(() => parseVerdict(RUBRIC, partial)).toThrow(/no verdict on "The appointment was confirmed"/);
    // Case and spacing of the criterion do not matter; the rubric's wording is kept.
    const loose = JSON.stringify({ criteria: RUBRIC.map((criterion) => ({ criterion: ` ${criterion.toUpperCase()} `, passed: true, reason: 'ok' })) });
    expect(parseVerdict(RUBRIC, loose).criteria.map((entry) => entry.criterion)).toEqual(RUBRIC);
  });

  it('a 5xx from the judge ends in llm_error', async () => {
    const runtime = await setup();
    server!.inject({ status: 500 }, { times: Infinity });
    const error = await judgeCall({ judge: { rubric: RUBRIC, model: 'gpt-4o-mini' }, transcript: TRANSCRIPT, runtime, meter: new UsageMeter(), signal: new AbortController().signal }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(CallError);
    expect((error as CallError).code).toBe('llm_error');
    expect(server!.received).toHaveLength(3);
  });

  it('a refusal is an llm_error, its tokens still counted', async () => {
    const runtime = await setup({ refuse: 'judge' });
    const meter = new UsageMeter();
    const error = await judgeCall({ judge: { rubric: RUBRIC, model: 'gpt-4o-mini' }, transcript: TRANSCRIPT, runtime, meter, signal: new AbortController().signal }).catch((thrown: unknown) => thrown);
    expect((error as CallError).code).toBe('llm_error');
    expect((error as CallError).message).toContain("the judge refused: I'm sorry");
    expect(meter.entries()[0]).toMatchObject({ requests: 1, outputTokens: server!.ledger.completionTokens });
  });

  it('never has more judge requests in flight than judgeConcurrency', async () => {
    const runtime = await setup({}, 2);
    server!.inject({ delayMs: 150 }, { times: 6 });
    let peak = 0;
    const watcher = setInterval(() => {
      peak = Math.max(peak, server!.received.filter((request) => request.status === 0).length);
    }, 5);
    const verdicts = await Promise.all(
      Array.from({ length: 6 }, () => judgeCall({ judge: { rubric: RUBRIC, model: 'gpt-4o-mini' }, transcript: TRANSCRIPT, runtime, meter: new UsageMeter(), signal: new AbortController().signal })),
    );
    clearInterval(watcher);
    expect(verdicts.every((verdict) => verdict.passed)).toBe(true);
    expect(peak).toBe(2);
    expect(server!.ledger.requests).toBe(6);
  });
});
