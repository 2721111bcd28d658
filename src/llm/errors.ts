/**
 * Turns what the openai package throws into a CallError with one of the LLM codes:
 * `llm_rate_limited` (429 after every retry), `llm_timeout` (no answer in
 * llm.requestTimeoutMs), `llm_error` (anything else the provider or the network did).
 *
 * Every message is scrubbed of the API key first: providers echo keys back in 401 bodies,
 * and a message here ends up in calls.jsonl and the reports.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { CallError } from '../errors.js';

const KEY_LIKE = /\b(sk|rk|pk)-[A-Za-z0-9_*-]{6,}/g;

/** Removes the secret, and anything shaped like an OpenAI key, from a text. */
export function redactSecret(text: string, secret: string | undefined): string {
  let out = text;
  if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out.replace(KEY_LIKE, '[redacted]');
}

/** HTTP statuses worth another attempt: the provider is busy, not the request wrong. */
const RETRY_STATUSES = new Set([408, 409, 429, 500, 502, 503, 504]);

export function isRetryableLlmError(error: unknown): boolean {
  if (error instanceof APIConnectionTimeoutError) return false;
  if (error instanceof APIConnectionError) return true;
  return error instanceof APIError && error.status !== undefined && RETRY_STATUSES.has(error.status);
}

export function statusOf(error: unknown): number | undefined {
  return error instanceof APIError ? error.status : undefined;
}

export interface ClassifyContext {
  readonly secret: string | undefined;
  /** Our own per-request timer fired. */
  readonly timedOut: boolean;
  /** The call itself was aborted (hang-up, run stop). */
  readonly aborted: boolean;
  readonly attempts: number;
  readonly timeoutMs: number;
  readonly retryAfterMs?: number;
}

export function classifyLlmError(error: unknown, context: ClassifyContext): CallError {
  if (error instanceof CallError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const detail = redactSecret(raw, context.secret);
  if (context.aborted) return new CallError('aborted', 'the call was stopped during an LLM request');
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    return new CallError('llm_timeout', `the LLM provider did not answer within ${context.timeoutMs} ms`);
  }
  const tries = context.attempts === 1 ? '' : ` (after ${context.attempts} attempts)`;
  if (statusOf(error) === 429) {
    return new CallError('llm_rate_limited', `LLM provider rate limit${tries}: ${detail}`, { ...(context.retryAfterMs !== undefined ? { retryAfterMs: context.retryAfterMs } : {}) });
  }
  return new CallError('llm_error', `LLM request failed${tries}: ${detail}`);
}
