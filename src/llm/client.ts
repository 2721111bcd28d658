/**
 * The OpenAI client every LLM caller and judge in a worker shares. Its `baseURL` and key
 * come from the spec (`llm.baseURL`, `llm.apiKey`) or the environment (`OPENAI_BASE_URL`,
 * `OPENAI_API_KEY`), so any OpenAI-compatible server works: a local model server, a proxy.
 *
 * The package's own retries are off (`maxRetries: 0`): loadspec retries itself, so it can
 * honour the rate-limit headers, share the wait with every thread and count attempts.
 */
import OpenAI from 'openai';
import type { LlmCredentials } from './credentials.js';

export { resolveCredentials, type LlmCredentials } from './credentials.js';

export function createOpenAiClient(credentials: LlmCredentials, requestTimeoutMs: number): OpenAI {
  return new OpenAI({
    // A local server often needs no key, but the package refuses to start without one.
    apiKey: credentials.apiKey ?? 'none',
    ...(credentials.baseURL !== undefined ? { baseURL: credentials.baseURL } : {}),
    timeout: requestTimeoutMs,
    maxRetries: 0,
  });
}
