/** specs/examples/llm-caller.yaml loads as documented, and runs as written through the CLI. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/metrics/summary.js';
import { loadSpec } from '../../src/spec/load.js';
import { clinicPatient, startOpenAiServer, type OpenAiTestServer } from '../support/openai-server.js';
import { ROOT, runLoadspec } from './cli.js';

const EXAMPLE = path.join(ROOT, 'specs/examples/llm-caller.yaml');

let server: OpenAiTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('specs/examples/llm-caller.yaml', () => {
  it('resolves to LLM callers with judges, shared limits and a budget', async () => {
    const spec = await loadSpec(EXAMPLE, { env: {} });
    expect(spec.scenarios.map((scenario) => [scenario.name, scenario.caller, scenario.judge?.rubric.length])).toEqual([
      ['follow-up', 'llm', 3],
      ['refill', 'llm', 1],
    ]);
    expect(spec.scenarios[0]?.llm).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.7, maxTurns: 8 });
    expect(spec.llm).toEqual({ requestTimeoutMs: 30_000, requestsPerMinute: 300, tokensPerMinute: 150_000, judgeConcurrency: 2 });
    expect(spec.cost.budgetUsd).toBe(1.5);
    expect(spec.cost.prices['gpt-4o-mini']).toEqual({ inputPerMTok: 0.15, outputPerMTok: 0.6 });
  });

  it('runs as written against the demo receptionist and an OpenAI-compatible server from the environment', async () => {
    server = await startOpenAiServer({ apiKey: 'sk-example-run-0123456789', patient: clinicPatient });
    const dir = mkdtempSync(path.join(tmpdir(), 'loadspec-llm-example-'));
    const env = { OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'sk-example-run-0123456789' };
    const args = ['run', EXAMPLE, '--calls', '3', '--pacing', '10/s', '--scenarios', 'follow-up', '--threads', '1', '--out', 'out', '--live', 'off'];
    const { code } = await runLoadspec(args, { cwd: dir, env });
    const summary = JSON.parse(readFileSync(path.join(dir, 'out', 'summary.json'), 'utf8')) as RunSummary;
    expect(code).toBe(0);
    expect(summary.calls.passed).toBe(3);
    expect(summary.cost.byModel['gpt-4o-mini']).toMatchObject({
      requests: server.ledger.requests,
      inputTokens: server.ledger.promptTokens,
      outputTokens: server.ledger.completionTokens,
    });
    // The opening line is the spec's, not the model's: three model lines and one judge per call.
    expect(server.ledger.byKind.caller.requests).toBe(9);
    expect(server.ledger.byKind.judge.requests).toBe(3);
  });
});
