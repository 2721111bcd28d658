/**
 * Everything a worker needs to talk to the LLM provider, made once per worker and shared by
 * all its calls: one client (keep-alive connections), the cross-thread rate limiter and the
 * judge semaphore over the shared buffer, and the retry policy.
 */
import type OpenAI from 'openai';
import type { RetrySpec, Spec } from '../spec/types.js';
import { createOpenAiClient, resolveCredentials } from './client.js';
import { RateLimiter } from './rate-limiter.js';
import { SharedSemaphore } from './semaphore.js';
import { INT32_JUDGE_RELEASES, viewLlmSharedState } from './shared-state.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface LlmRuntime {
  readonly client: OpenAI;
  readonly limiter: RateLimiter;
  readonly judges: SharedSemaphore;
  /** The API key, kept only to scrub it from error messages. */
  readonly secret: string | undefined;
  readonly requestTimeoutMs: number;
  readonly retry: RetrySpec;
}

const runtimes = new WeakMap<Spec, LlmRuntime>();

/** The worker's runtime for this spec; `shared` is WorkerInit.shared (absent: limits per thread). */
export function llmRuntime(spec: Spec, shared?: SharedArrayBuffer, env: NodeJS.ProcessEnv = process.env): LlmRuntime {
  let runtime = runtimes.get(spec);
  if (!runtime) {
    runtime = createLlmRuntime(spec, shared, env);
    runtimes.set(spec, runtime);
  }
  return runtime;
}

export function createLlmRuntime(spec: Spec, shared?: SharedArrayBuffer, env: NodeJS.ProcessEnv = process.env): LlmRuntime {
  const credentials = resolveCredentials(spec.llm, env);
  const requestTimeoutMs = spec.llm?.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const view = viewLlmSharedState(spec, shared);
  return {
    client: createOpenAiClient(credentials, requestTimeoutMs),
    limiter: new RateLimiter(view, spec.llm),
    judges: new SharedSemaphore(view.judgeLeases, view.counters, INT32_JUDGE_RELEASES),
    secret: credentials.apiKey,
    requestTimeoutMs,
    retry: spec.load.retries,
  };
}
