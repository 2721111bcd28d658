/**
 * How long an LLM provider asks us to wait, read from the headers of a 429 (or 503).
 *
 * OpenAI-compatible servers say it in several ways, and we honour all of them:
 * - `retry-after-ms: 250` (milliseconds, OpenAI's own),
 * - `retry-after: 2` (seconds) or `retry-after: <HTTP date>` (RFC 9110),
 * - `x-ratelimit-reset-requests: 6m0s` / `x-ratelimit-reset-tokens: 20ms`: Go-style
 *   durations until that limit refills. Only the limits that are exhausted
 *   (`x-ratelimit-remaining-*: 0`, or remaining unknown) count: a long reset on a limit
 *   with room left says nothing about this 429.
 */

import { parseRetryAfter } from '../drivers/classify.js';

/** Anything with a case-insensitive `get`, e.g. the fetch `Headers` the openai package exposes. */
export interface HeaderSource {
  get(name: string): string | null;
}

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;

/**
 * Parses a Go-style duration (`1s`, `6m0s`, `1m30.5s`, `20ms`, `1h2m`) to milliseconds.
 * A bare number is read as seconds, as some proxies send it. Returns undefined when the
 * text is not a duration.
 */
export function parseResetDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  DURATION_PART.lastIndex = 0;
  let totalMs = 0;
  let consumed = 0;
  for (let match = DURATION_PART.exec(trimmed); match; match = DURATION_PART.exec(trimmed)) {
    const [whole, amount, unit] = match;
    totalMs += Number(amount) * (UNIT_MS[unit ?? ''] ?? Number.NaN);
    consumed += whole.length;
  }
  return consumed === trimmed.length && Number.isFinite(totalMs) ? totalMs : undefined;
}

function nonNegative(value: number): number | undefined {
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The wait the headers ask for, in ms, or undefined when they ask for none. */
export function retryDelayFromHeaders(headers: HeaderSource | undefined, nowEpochMs: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const retryAfterMs = headers.get('retry-after-ms');
  if (retryAfterMs !== null) {
    const value = nonNegative(Number(retryAfterMs));
    if (value !== undefined) return value;
  }
  const retryAfter = parseRetryAfter(headers.get('retry-after') ?? undefined, nowEpochMs);
  if (retryAfter !== undefined) return retryAfter;
  let resetMs: number | undefined;
  for (const limit of ['requests', 'tokens']) {
    const reset = headers.get(`x-ratelimit-reset-${limit}`);
    if (reset === null) continue;
    const remaining = headers.get(`x-ratelimit-remaining-${limit}`);
    if (remaining !== null && Number(remaining) > 0) continue;
    const value = parseResetDuration(reset);
    if (value !== undefined) resetMs = Math.max(resetMs ?? 0, value);
  }
  return resetMs;
}
