/**
 * Whole runs through the engine (plan, pool, real worker threads) against the bundled
 * demo receptionist, with an LLM caller and a judge served by the local OpenAI server.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenCostUsd } from '../../src/llm/cost.js';
import type { CallOutcome } from '../../src/results/types.js';
import { runSpec } from '../../src/run/engine.js';
import { loadSpec } from '../../src/spec/load.js';
import { clinicPatient, startOpenAiServer, type OpenAiTestServer } from '../support/openai-server.js';

const KEY = 'sk-run-test-9f8e7d6c5b4a';
let server: OpenAiTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function specYaml(o: { calls: number; budget?: number; rubricFails?: boolean }): string {
  return `version: 1
name: llm-run
target:
  driver: websocket
  url: builtin
  demo: { latency: 5ms, jitter: 0ms }
load:
  calls: ${o.calls}
  concurrency: 4
  pacing: 20/s
  callTimeout: 30s
  threads: 2
  seed: 3
personas:
  fields:
    firstName: [Maria, James, Aiko]
    dob: { date: [1940-01-01, 2005-12-31] }
llm:
  requestTimeout: 10s
  requestsPerMinute: 6000
  judgeConcurrency: 2
cost:
  prices:
    patient-model: { input: 1.5, output: 6 }
    judge-model: { input: 3, output: 12 }${o.budget === undefined ? '' : `\n  budget: ${o.budget}`}
scenarios:
  - name: follow-up
    caller: llm
    llm:
      goal: book a follow-up; you are {{persona.firstName}}, born {{persona.dob}}
      model: patient-model
      maxTurns: 6
    judge:
      model: judge-model
      rubric:
        - The receptionist asked for the date of birth
        - The appointment was confirmed
`;
}

async function run(yaml: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'loadspec-llm-run-'));
  writeFileSync(path.join(dir, 'spec.yaml'), yaml);
  const spec = await loadSpec(path.join(dir, 'spec.yaml'));
  const result = await runSpec(spec, { cwd: dir, out: 'out', intervalMs: 200, workerEnv: { ...process.env, OPENAI_BASE_URL: server!.baseURL, OPENAI_API_KEY: KEY } });
  const calls = readFileSync(path.join(result.outDir, 'calls.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as CallOutcome);
  return { result, calls };
}

function sum(calls: readonly CallOutcome[], purpose: 'caller' | 'judge', field: 'requests' | 'inputTokens' | 'outputTokens'): number {
  return calls.flatMap((call) => call.usage).filter((entry) => entry.purpose === purpose).reduce((total, entry) => total + entry[field], 0);
}

describe('loadspec runs with LLM callers and judges', () => {
  it('records exactly the tokens and cost the server billed', async () => {
    server = await startOpenAiServer({ apiKey: KEY, patient: clinicPatient });
    const { result, calls } = await run(specYaml({ calls: 6 }));
    expect(calls).toHaveLength(6);
    for (const call of calls) {
      expect(call).toMatchObject({ status: 'passed', endedBy: 'agent' });
      expect(call.turns.map((turn) => turn.reply).join(' ')).toContain("You're confirmed");
      expect(call.judge?.passed).toBe(true);
    }
    const { byKind, byModel } = server.ledger;
    expect(byKind.caller.requests).toBe(24);
    expect([sum(calls, 'caller', 'requests'), sum(calls, 'caller', 'inputTokens'), sum(calls, 'caller', 'outputTokens')]).toEqual([byKind.caller.requests, byKind.caller.promptTokens, byKind.caller.completionTokens]);
    expect([sum(calls, 'judge', 'requests'), sum(calls, 'judge', 'inputTokens'), sum(calls, 'judge', 'outputTokens')]).toEqual([6, byKind.judge.promptTokens, byKind.judge.completionTokens]);

    const prices = { 'patient-model': { inputPerMTok: 1.5, outputPerMTok: 6 }, 'judge-model': { inputPerMTok: 3, outputPerMTok: 12 } };
    const billedUsd = Object.entries(byModel).reduce((total, [model, entry]) => total + tokenCostUsd(model, entry.promptTokens, entry.completionTokens, prices), 0);
    const { cost } = result.summary;
    expect(cost.totalUsd).toBeCloseTo(billedUsd, 9);
    expect(calls.reduce((total, call) => total + call.costUsd, 0)).toBeCloseTo(billedUsd, 12);
    for (const [model, entry] of Object.entries(byModel)) {
      expect(cost.byModel[model]).toMatchObject({ requests: entry.requests, inputTokens: entry.promptTokens, outputTokens: entry.completionTokens });
    }
    expect(cost.byProvider['openai']?.usd).toBeCloseTo(billedUsd, 9);
    expect(readFileSync(path.join(result.outDir, 'calls.jsonl'), 'utf8')).not.toContain(KEY);
  });

  it('stops the run when the projected spend passes the budget', async () => {
    server = await startOpenAiServer({ apiKey: KEY, patient: clinicPatient });
    const { result, calls } = await run(specYaml({ calls: 40, budget: 0.0001 }));
    expect(result.summary.run.abortReason).toBe('budget');
    expect(result.summary.verdict).toBe('aborted');
    expect(result.summary.cost.budgetUsd).toBe(0.0001);
    // Stopped early: far fewer calls were billed than planned.
    expect(server.ledger.byKind.judge.requests).toBeLessThan(40);
    expect(calls.filter((call) => call.status === 'passed').length).toBeLessThan(40);
  });
});
