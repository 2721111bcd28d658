/**
 * The real CLI (`node bin/loadspec.js run`) with an LLM caller and a judge against the
 * bundled demo receptionist (`url: builtin`) and the local OpenAI-compatible server:
 * summary.json must show exactly the tokens and cost the server billed, and the API key
 * must appear in no output at all.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenCostUsd } from '../../src/llm/cost.js';
import type { RunSummary } from '../../src/metrics/summary.js';
import type { CallOutcome } from '../../src/results/types.js';
import { clinicPatient, startOpenAiServer, type OpenAiTestServer } from '../support/openai-server.js';
import { runLoadspec, type CliResult } from './cli.js';

const KEY = 'sk-cli-e2e-3c2b1a0f9e8d7c6b';
const PRICES = { 'patient-model': { inputPerMTok: 0.4, outputPerMTok: 1.6 }, 'judge-model': { inputPerMTok: 2.5, outputPerMTok: 10 } };

let server: OpenAiTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function specYaml(calls: number, budget?: number): string {
  return `version: 1
name: llm-cli
target:
  driver: http
  url: builtin
  demo: { latency: 5ms, jitter: 0ms }
load:
  calls: ${calls}
  concurrency: 3
  pacing: 10/s
  callTimeout: 30s
  threads: 2
  seed: 5
personas:
  fields:
    firstName: [Maria, James]
    dob: { date: [1950-01-01, 1990-12-31] }
llm:
  apiKey: \${LLM_KEY}
  requestTimeout: 10s
  judgeConcurrency: 1
cost:
  prices:
    patient-model: { input: 0.4, output: 1.6 }
    judge-model: { input: 2.5, output: 10 }${budget === undefined ? '' : `\n  budget: ${budget}`}
scenarios:
  - name: booking
    caller: llm
    llm:
      goal: book an appointment; you are {{persona.firstName}}, born {{persona.dob}}
      model: patient-model
      maxTurns: 5
    judge:
      model: judge-model
      rubric: [The receptionist confirmed an appointment time, The receptionist was polite]
thresholds:
  failure_rate: "< 1%"
`;
}

/** Runs the CLI on the spec in a fresh folder; results land in `out/` there. */
async function runCli(yaml: string): Promise<CliResult & { outDir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'loadspec-llm-cli-'));
  writeFileSync(path.join(dir, 'spec.yaml'), yaml);
  const result = await runLoadspec(['run', 'spec.yaml', '--out', 'out', '--live', 'off'], { cwd: dir, env: { OPENAI_BASE_URL: server!.baseURL, LLM_KEY: KEY } });
  return { ...result, outDir: path.join(dir, 'out') };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function billedUsd(): number {
  return Object.entries(server!.ledger.byModel).reduce((total, [model, entry]) => total + tokenCostUsd(model, entry.promptTokens, entry.completionTokens, PRICES), 0);
}

describe('loadspec run with an LLM caller and judge (real CLI)', () => {
  it('writes the billed tokens and cost to summary.json, and the key nowhere', async () => {
    server = await startOpenAiServer({ apiKey: KEY, patient: clinicPatient });
    const result = await runCli(specYaml(5));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(readFileSync(path.join(result.outDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.verdict).toBe('passed');
    expect(summary.calls.passed).toBe(5);
    const { byModel } = server.ledger;
    expect(Object.keys(byModel).sort()).toEqual(['judge-model', 'patient-model']);
    for (const [model, billed] of Object.entries(byModel)) {
      expect(summary.cost.byModel[model]).toMatchObject({ requests: billed.requests, inputTokens: billed.promptTokens, outputTokens: billed.completionTokens });
      expect(summary.cost.byModel[model]!.usd).toBeCloseTo(tokenCostUsd(model, billed.promptTokens, billed.completionTokens, PRICES), 12);
    }
    expect(summary.cost.byModel['judge-model']!.requests).toBe(5);
    expect(summary.cost.totalUsd).toBeGreaterThan(0);
    expect(summary.cost.totalUsd).toBeCloseTo(billedUsd(), 9);
    expect(summary.cost.perCallUsd).toBeCloseTo(billedUsd() / 5, 9);

    const calls = readFileSync(path.join(result.outDir, 'calls.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as CallOutcome);
    expect(calls.every((call) => call.judge?.passed === true && call.usage.length === 2)).toBe(true);

    // The key reached the server on every request, and no file or console output.
    expect(server.received.every((request) => request.authorization === `Bearer ${KEY}`)).toBe(true);
    const outputs = filesUnder(result.outDir);
    expect(outputs.map((file) => path.basename(file))).toEqual(expect.arrayContaining(['calls.jsonl', 'summary.json']));
    for (const file of outputs) expect(readFileSync(file, 'utf8'), file).not.toContain(KEY);
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });

  it('stops on the budget: exit 3, and summary.json says why', async () => {
    server = await startOpenAiServer({ apiKey: KEY, patient: clinicPatient });
    const result = await runCli(specYaml(40, 0.00001));
    expect(result.code).toBe(3);
    const summary = JSON.parse(readFileSync(path.join(result.outDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary).toMatchObject({ verdict: 'aborted', run: { abortReason: 'budget' }, cost: { budgetUsd: 0.00001 } });
    expect(summary.cost.totalUsd).toBeGreaterThan(0.00001 / 40);
    expect(server.ledger.byKind.judge.requests).toBeLessThan(40);
    expect(result.stderr).toContain('LOADSPEC_BUDGET_EXCEEDED: the projected spend passed cost.budget ($0.00001); the run was stopped  (raise cost.budget');
  });
});
