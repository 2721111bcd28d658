/**
 * The OpenAI client every LLM caller and judge in a worker shares. Its `baseURL` and key
 * come from the spec (`llm.baseURL`, `llm.apiKey`) or the environment (`OPENAI_BASE_URL`,
 * `OPENAI_API_KEY`), so any OpenAI-compatible server works: a local model server, a proxy.
 *
 * The package's own retries are off (`maxRetries: 0`): loadspec retries itself, so it can
 * honour the rate-limit headers, share the wait with every thread and count attempts.
 */
import OpenAI from 'openai';
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

export function createOpenAiClient(credentials: LlmCredentials, requestTimeoutMs: number): OpenAI {
  return new OpenAI({
    // A local server often needs no key, but the package refuses to start without one.
    apiKey: credentials.apiKey ?? 'none',
    ...(credentials.baseURL !== undefined ? { baseURL: credentials.baseURL } : {}),
    timeout: requestTimeoutMs,
    maxRetries: 0,
  });
}
