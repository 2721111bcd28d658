import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoadspecError } from '../../src/errors.js';
import { checkLlmSetup } from '../../src/llm/preflight.js';
import { runLoadspec } from './cli.js';
import { llmSpec } from './fixtures.js';

describe('LLM preflight', () => {
  it('refuses to call OpenAI without a key, from the spec or the environment', () => {
    const spec = llmSpec({ llm: {} });
    const error = (() => {
      try {
        checkLlmSetup(spec, {});
        return undefined;
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(LoadspecError);
    expect((error as LoadspecError).code).toBe('LOADSPEC_ENV_MISSING');
    expect(checkLlmSetup(spec, { OPENAI_API_KEY: 'sk-from-env' })).toEqual([]);
    expect(checkLlmSetup(llmSpec({ llm: { apiKey: 'sk-from-spec' } }), {})).toEqual([]);
    // A local server may need no key.
    expect(checkLlmSetup(spec, { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toEqual([]);
  });

  it('warns about models without a price, and leaves LLM-free specs alone', () => {
    const spec = llmSpec({ llm: { apiKey: 'k' }, caller: { model: 'local-llama' }, judge: { rubric: ['x'], model: 'gpt-4o-mini-2024-07-18' } });
    expect(checkLlmSetup(spec, {})).toEqual(['no price for model "local-llama": its tokens are counted but cost $0; add it to cost.prices']);
    const scripted = { ...spec, scenarios: [{ ...spec.scenarios[0]!, caller: 'scripted' as const, judge: undefined }] };
    expect(checkLlmSetup(scripted, {})).toEqual([]);
  });

  it('loadspec run stops before placing a call when the key is missing (exit 2)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loadspec-llm-preflight-'));
    writeFileSync(
      path.join(dir, 'spec.yaml'),
      `version: 1
name: no-key
target: { driver: sim }
load: { calls: 2, pacing: 10/s }
scenarios:
  - name: llm
    caller: llm
    llm: { goal: book an appointment }
`,
    );
    const result = await runLoadspec(['run', 'spec.yaml', '--out', 'out', '--live', 'off'], { cwd: dir, env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('OPENAI_API_KEY is not set');
  });
});
