import { afterEach, describe, expect, it } from 'vitest';
import { CallError } from '../../src/errors.js';
import { createLlmRuntime } from '../../src/llm/runtime.js';
import { CALL_CONNECTED, HANGUP_TOKEN, LlmCaller, parseCallerReply } from '../../src/persona/llm.js';
import type { TranscriptEntry } from '../../src/persona/types.js';
import { startOpenAiServer, type OpenAiServerOptions, type OpenAiTestServer } from '../support/openai-server.js';
import { callJob, llmSpec, type SpecOptions } from './fixtures.js';

const KEY = 'sk-test-caller-5a1d9e0c7b3f';
let server: OpenAiTestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(serverOptions: OpenAiServerOptions = {}, specOptions: SpecOptions = {}): Promise<{ caller: LlmCaller; server: OpenAiTestServer }> {
  server = await startOpenAiServer({ apiKey: KEY, ...serverOptions });
  const spec = llmSpec({ ...specOptions, llm: { baseURL: server.baseURL, apiKey: KEY, ...specOptions.llm } });
  const caller = new LlmCaller({ llm: spec.scenarios[0]!.llm!, job: callJob(), runtime: createLlmRuntime(spec, undefined, {}) });
  return { caller, server };
}

/** Plays a call: every caller line gets a canned agent reply, until the caller hangs up. */
async function converse(caller: LlmCaller, agentLines: readonly string[]): Promise<TranscriptEntry[]> {
  const transcript: TranscriptEntry[] = [];
  for (let turn = 0; ; turn++) {
    const line = await caller.next(transcript, new AbortController().signal);
    if (!line) return transcript;
    transcript.push({ speaker: 'caller', text: line.text }, { speaker: 'agent', text: agentLines[turn] ?? 'Anything else?' });
  }
}

async function failure(promise: Promise<unknown>): Promise<CallError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CallError);
  return error as CallError;
}

describe('LLM caller', () => {
  it('plays the scripted patient to the hang-up, and its usage equals what the server billed', async () => {
    const { caller, server } = await setup({ script: ['Hi, I need a follow-up.', 'Next Tuesday, please.'] });
    const transcript = await converse(caller, ['Sure, what is your date of birth?', 'Booked for Tuesday 9am.', 'Goodbye!']);
    expect(transcript.filter((entry) => entry.speaker === 'caller').map((entry) => entry.text)).toEqual([
      'Hi, I need a follow-up.',
      'Next Tuesday, please.',
      'Thank you, that is all. Goodbye.',
    ]);
    expect(server.ledger.requests).toBe(3);
    expect(caller.usage()).toEqual([
      { purpose: 'caller', model: 'gpt-4o-mini', requests: 3, inputTokens: server.ledger.promptTokens, outputTokens: server.ledger.completionTokens },
    ]);
    // Streamed with usage, authenticated, and the model is the caller: the agent is `user`.
    const last = server.received.at(-1)!;
    expect(last).toMatchObject({ stream: true, authorization: `Bearer ${KEY}` });
    expect(last.body.stream_options).toEqual({ include_usage: true });
    expect(last.body.temperature).toBe(0.7);
    expect(last.body.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(last.body.messages[1]!.content).toBe(CALL_CONNECTED);
    expect(last.body.messages[2]!.content).toBe('Hi, I need a follow-up.');
    expect(last.body.messages[3]!.content).toBe('Sure, what is your date of birth?');
    const system = last.body.messages[0]!.content;
    expect(system).toContain('book a follow-up next week; you are Maria, born 1950-03-14');
    expect(system).toContain('- dob: 1950-03-14');
    expect(system).toContain(HANGUP_TOKEN);
  });

  it('speaks the templated opening without asking the model, and stops at maxTurns', async () => {
    const { caller, server } = await setup({ patient: (_body, lines) => `Line number ${lines}.` }, { caller: { opening: 'Hello, this is {{persona.firstName}}.', maxTurns: 3 } });
    const transcript = await converse(caller, []);
    expect(transcript.filter((entry) => entry.speaker === 'caller').map((entry) => entry.text)).toEqual(['Hello, this is Maria.', 'Line number 1.', 'Line number 2.']);
    expect(server.ledger.requests).toBe(2);
    expect(caller.usage()[0]?.requests).toBe(2);
  });

  it('hangs up at once when the model says only the hang-up token, folding an agent greeting into one user turn', async () => {
    const { caller, server } = await setup({ patient: () => ` ${HANGUP_TOKEN} ` });
    const greeting: TranscriptEntry[] = [{ speaker: 'agent', text: 'Clinic, how can I help?' }];
    expect(await caller.next(greeting, new AbortController().signal)).toBeNull();
    expect(await caller.next(greeting, new AbortController().signal)).toBeNull();
    expect(server.ledger.requests).toBe(1);
    expect(server.received[0]!.body.messages.slice(1)).toEqual([{ role: 'user', content: `${CALL_CONNECTED}\nClinic, how can I help?` }]);
  });

  it('retries a 429 after the wait its headers ask for, and bills only the answered request', async () => {
    const { caller, server } = await setup();
    server.inject({ status: 429, headers: { 'retry-after-ms': '300' }, message: 'Rate limit reached for requests' });
    server.inject({ status: 429, headers: { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '200ms' } });
    const line = await caller.next([], new AbortController().signal);
    expect(line?.text).toBe('Hi, I would like to book an appointment, please.');
    expect(server.received.map((request) => request.status)).toEqual([429, 429, 200]);
    const [first, second, third] = server.received.map((request) => request.atMs);
    expect(second! - first!).toBeGreaterThanOrEqual(290);
    expect(third! - second!).toBeGreaterThanOrEqual(190);
    expect(caller.usage()[0]).toMatchObject({ requests: 1, inputTokens: server.ledger.promptTokens, outputTokens: server.ledger.completionTokens });
  });

  it('gives up on a persistent 429 with llm_rate_limited after the spec allows no more attempts', async () => {
    const { caller, server } = await setup({}, { retries: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });
    server.inject({ status: 429, headers: { 'retry-after-ms': '20' } }, { times: Infinity });
    const error = await failure(caller.next([], new AbortController().signal));
    expect(error.code).toBe('llm_rate_limited');
    expect(error.message).toContain('after 3 attempts');
    expect(error.retryAfterMs).toBe(20);
    expect(server.received).toHaveLength(3);
    expect(caller.usage()).toEqual([]);
  });

  it('does not wait out a provider reset longer than a minute: llm_rate_limited at once', async () => {
    const { caller, server } = await setup();
    server.inject({ status: 429, headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' } });
    const error = await failure(caller.next([], new AbortController().signal));
    expect(error.code).toBe('llm_rate_limited');
    expect(error.retryAfterMs).toBe(360_000);
    expect(server.received).toHaveLength(1);
  });

  it('retries a 5xx, and a persistent 5xx ends the call with llm_error', async () => {
    const { caller, server } = await setup({}, { retries: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 } });
    server.inject({ status: 503, message: 'overloaded' });
    expect((await caller.next([], new AbortController().signal))?.text).toContain('appointment');
    server.inject({ status: 500, message: 'The server had an error' }, { times: 2 });
    const error = await failure(caller.next([{ speaker: 'caller', text: 'x' }, { speaker: 'agent', text: 'y' }], new AbortController().signal));
    expect(error.code).toBe('llm_error');
    expect(error.message).toContain('The server had an error');
    expect(server.received.map((request) => request.status)).toEqual([503, 200, 500, 500]);
  });

  it('a slow provider ends the call with llm_timeout, not retried', async () => {
    const { caller, server } = await setup({}, { llm: { requestTimeoutMs: 300 } });
    server.inject({ delayMs: 2000 });
    const error = await failure(caller.next([], new AbortController().signal));
    expect(error.code).toBe('llm_timeout');
    expect(error.message).toContain('300 ms');
    expect(server.received).toHaveLength(1);
    expect(server.ledger.requests).toBe(0);
  });

  it('stops with aborted when the call is hung up mid-request', async () => {
    const { caller, server } = await setup();
    server.inject({ delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect((await failure(caller.next([], controller.signal))).code).toBe('aborted');
  });

  it('a refusal from the caller model is an llm_error', async () => {
    const { caller } = await setup({ refuse: 'caller' });
    const error = await failure(caller.next([], new AbortController().signal));
    expect(error.code).toBe('llm_error');
    expect(error.message).toContain('the caller model refused');
    expect(caller.usage()[0]?.requests).toBe(1);
  });

  it('never lets the API key into an error, even when the provider echoes it', async () => {
    const { caller } = await setup({ apiKey: 'sk-the-right-one-0000' });
    const error = await failure(caller.next([], new AbortController().signal));
    expect(error.code).toBe('llm_error');
    expect(error.message).toContain('Incorrect API key provided');
    expect(`${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`).not.toContain(KEY);
    expect(error.cause).toBeUndefined();
  });
});

describe('parseCallerReply', () => {
  it.each([
    ['Yes, Tuesday works.', 'Yes, Tuesday works.', false],
    ['Great, thanks! <HANGUP>', 'Great, thanks!', true],
    ['[hang up]', '', true],
    ['Caller: "Could you repeat that?"', 'Could you repeat that?', false],
    ['Bye now <hang-up>', 'Bye now', true],
    ['  spread \n over   lines ', 'spread over lines', false],
  ])('%j → %j (hangup %s)', (reply, text, hangup) => {
    expect(parseCallerReply(reply)).toEqual({ text, hangup });
  });
});
