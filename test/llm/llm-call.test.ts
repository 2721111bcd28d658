/** A whole call through the engine's call runner with an LLM caller and an LLM judge. */
import { afterEach, describe, expect, it } from 'vitest';
import { SimDriver } from '../../src/drivers/sim.js';
import { nowMs } from '../../src/drivers/types.js';
import { tokenCostUsd } from '../../src/llm/cost.js';
import { createLlmSharedState } from '../../src/llm/shared-state.js';
import { runCall } from '../../src/pool/call-runner.js';
import type { Spec } from '../../src/spec/types.js';
import { startOpenAiServer, type OpenAiServerOptions, type OpenAiTestServer } from '../support/openai-server.js';
import { callJob, llmSpec } from './fixtures.js';

const RUBRIC = ['The receptionist greeted the caller', 'The appointment was confirmed'];
const PRICES = { 'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 }, 'judge-model': { inputPerMTok: 2, outputPerMTok: 8 } };

let server: OpenAiTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(options: OpenAiServerOptions = {}): Promise<Spec> {
  server = await startOpenAiServer({ apiKey: 'sk-llm-call-test-1234', ...options });
  return llmSpec({ llm: { baseURL: server.baseURL, apiKey: 'sk-llm-call-test-1234' }, judge: { rubric: RUBRIC, model: 'judge-model' }, prices: PRICES });
}

async function call(spec: Spec) {
  const driver = new SimDriver(spec.target as never);
  return runCall(callJob(), nowMs(), { spec, driverFor: () => driver, threadId: 1, shared: createLlmSharedState(spec) }, new AbortController().signal);
}

function billedUsd(): number {
  const { byModel } = server!.ledger;
  return Object.entries(byModel).reduce((sum, [model, entry]) => sum + tokenCostUsd(model, entry.promptTokens, entry.completionTokens, PRICES), 0);
}

describe('a call with an LLM caller and a judge', () => {
  it('passes, with the verdict, the usage and the cost the server billed', async () => {
    const spec = await setup({ script: ['Hi, I need a follow-up.', 'Tuesday works.'] });
    const outcome = await call(spec);
    expect(outcome).toMatchObject({ status: 'passed', endedBy: 'caller' });
    expect(outcome.turns.map((turn) => turn.said)).toEqual(['Hi, I need a follow-up.', 'Tuesday works.', 'Thank you, that is all. Goodbye.']);
    expect(outcome.judge).toEqual({ passed: true, criteria: RUBRIC.map((criterion) => ({ criterion, passed: true, reason: 'The transcript shows it.' })) });
    const { byKind, byModel } = server!.ledger;
    expect(outcome.usage).toEqual([
      { purpose: 'caller', model: 'gpt-4o-mini', requests: 3, inputTokens: byKind.caller.promptTokens, outputTokens: byKind.caller.completionTokens },
      { purpose: 'judge', model: 'judge-model', requests: 1, inputTokens: byModel['judge-model']!.promptTokens, outputTokens: byModel['judge-model']!.completionTokens },
    ]);
    expect(outcome.costUsd).toBeGreaterThan(0);
    expect(outcome.costUsd).toBeCloseTo(billedUsd(), 12);
    // The judge read this call's transcript, agent replies included.
    const judgeRequest = server!.received.find((request) => request.kind === 'judge')!;
    expect(judgeRequest.body.messages[1]!.content).toContain(`Receptionist: ${outcome.turns[0]!.reply}`);
  });

  it('a failed criterion fails the call with judge_failed', async () => {
    const spec = await setup({ judge: (criterion) => ({ passed: !criterion.includes('confirmed'), reason: 'No date was agreed.' }) });
    const outcome = await call(spec);
    expect(outcome).toMatchObject({ status: 'failed', errorCode: 'judge_failed', errorMessage: `judge: ${RUBRIC[1]}` });
    expect(outcome.checkFailures).toEqual([{ check: `judge: ${RUBRIC[1]}`, actual: 'No date was agreed.' }]);
    expect(outcome.judge?.passed).toBe(false);
  });

  it('a caller model failure ends the call in llm_error, keeping what was billed', async () => {
    const spec = await setup();
    server!.inject({ status: 400, message: 'model not found' }, { kind: 'caller', times: Infinity });
    const outcome = await call(spec);
    expect(outcome).toMatchObject({ status: 'error', errorCode: 'llm_error', endedBy: 'loadspec', costUsd: 0 });
    expect(outcome.judge).toBeUndefined();
    expect(server!.ledger.requests).toBe(0);
  });

  it('a judge that times out ends the call in llm_timeout, the caller tokens still counted', async () => {
    const spec = await setup();
    const slowJudge = { ...spec, llm: { ...spec.llm!, requestTimeoutMs: 300 } };
    server!.inject({ delayMs: 2000 }, { kind: 'judge' });
    const outcome = await call(slowJudge);
    expect(outcome).toMatchObject({ status: 'error', errorCode: 'llm_timeout', endedBy: 'caller' });
    expect(outcome.usage.map((entry) => entry.purpose)).toEqual(['caller']);
    expect(outcome.costUsd).toBeCloseTo(billedUsd(), 12);
  });
});
