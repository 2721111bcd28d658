/**
 * Where the LLM's base URL and key come from: the spec (`llm.baseURL`, `llm.apiKey`), else
 * the environment (`OPENAI_BASE_URL`, `OPENAI_API_KEY`). Apart from client.ts so the main
 * thread's preflight can read them without loading the openai package, which only the
 * worker threads use.
 */
import type { LlmSpec } from '../spec/types.js';

export interface LlmCredentials {
  readonly baseURL: string | undefined;
  /** Never logged or written; errors are scrubbed of it (errors.ts). */
  readonly apiKey: string | undefined;
}

export function resolveCredentials(llm: LlmSpec | undefined, env: NodeJS.ProcessEnv = process.env): LlmCredentials {
  // `${OPENAI_API_KEY:-}` in a spec interpolates to '': that means "not set" too.
  const baseURL = nonEmpty(llm?.baseURL) ?? nonEmpty(env['OPENAI_BASE_URL']);
  const apiKey = nonEmpty(llm?.apiKey) ?? nonEmpty(env['OPENAI_API_KEY']);
  return { baseURL, apiKey };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
