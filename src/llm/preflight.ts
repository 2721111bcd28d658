/**
 * Checks made once before a run that uses LLM callers or judges, so a missing key fails
 * the run up front instead of failing every call with a 401 a minute later.
 */
import { LoadspecError } from '../errors.js';
import type { Spec } from '../spec/types.js';
import { resolveCredentials } from './credentials.js';
import { priceFor } from './cost.js';
import { specUsesLlm } from './shared-state.js';

/**
 * Throws when the spec talks to OpenAI itself without a key; returns warnings (models with
 * no price, whose tokens would silently cost $0). `env` is the workers' environment.
 */
export function checkLlmSetup(spec: Spec, env: NodeJS.ProcessEnv): string[] {
  if (!specUsesLlm(spec)) return [];
  const credentials = resolveCredentials(spec.llm, env);
  // A custom baseURL (a local model server, a proxy) may need no key at all.
  if (credentials.baseURL === undefined && credentials.apiKey === undefined) {
    throw new LoadspecError('LOADSPEC_ENV_MISSING', 'LLM callers and judges need an API key for OpenAI: OPENAI_API_KEY is not set and the spec has no llm.apiKey', {
      hint: 'export OPENAI_API_KEY, or set llm.apiKey: ${OPENAI_API_KEY} (or llm.baseURL for a server that needs no key)',
    });
  }
  const models = new Set<string>();
  for (const scenario of spec.scenarios) {
    if (scenario.caller === 'llm' && scenario.llm) models.add(scenario.llm.model);
    if (scenario.judge) models.add(scenario.judge.model);
  }
  return [...models]
    .filter((model) => !priceFor(model, spec.cost.prices))
    .map((model) => `no price for model "${model}": its tokens are counted but cost $0; add it to cost.prices`);
}
