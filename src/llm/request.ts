/**
 * One chat completion as loadspec sends it: under the shared rate limits, with its own
 * per-request timer (the package's timeout stops at the response headers; ours covers the
 * whole body, streamed or not), retried with backoff that honours the provider's
 * rate-limit headers, and classified into an LLM call error when it finally fails.
 *
 * The token counts returned are the provider's `usage` block, i.e. what it billed. A
 * stream is asked for its usage (`stream_options.include_usage`); a server that sends
 * none gets our estimate instead, flagged `estimated`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type OpenAI from 'openai';
import { retryDelayMs } from '../drivers/retry.js';
import { classifyLlmError, isRetryableLlmError, statusOf } from './errors.js';
import { retryDelayFromHeaders } from './rate-headers.js';
import type { LlmRuntime } from './runtime.js';
import { estimatePromptTokens } from './tokens.js';

type Message = OpenAI.Chat.ChatCompletionMessageParam;

/** The longest wait a provider may ask for (retry-after, x-ratelimit-reset-*) before a request gives up. */
export const MAX_PROVIDER_WAIT_MS = 60_000;

export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly Message[];
  readonly temperature?: number;
  /** Structured output; the answer's content is then JSON matching the schema. */
  readonly responseFormat?: OpenAI.ResponseFormatJSONSchema;
  readonly stream: boolean;
  /** Allowance for the answer in the tokens-per-minute estimate. */
  readonly expectedOutputTokens: number;
}

export interface ChatResult {
  readonly text: string;
  /** The model declined (structured output refusals). */
  readonly refusal?: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The server sent no usage; the counts are loadspec's estimate. */
  readonly estimated: boolean;
  readonly attempts: number;
}

/** Sends a chat completion; throws CallError (llm_rate_limited / llm_timeout / llm_error / aborted). */
export async function chat(runtime: LlmRuntime, request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
  const promptEstimate = estimatePromptTokens(request.messages);
  for (let attempt = 1; ; attempt++) {
    let reservation;
    try {
      reservation = await runtime.limiter.acquire(promptEstimate + request.expectedOutputTokens, signal);
    } catch (error) {
      throw classifyLlmError(error, { secret: runtime.secret, timedOut: false, aborted: signal.aborted, attempts: attempt, timeoutMs: runtime.requestTimeoutMs });
    }
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), runtime.requestTimeoutMs);
    try {
      const answer = await sendOnce(runtime.client, request, AbortSignal.any([signal, timer.signal]), promptEstimate);
      runtime.limiter.settleTokens(reservation, answer.inputTokens + answer.outputTokens);
      return { ...answer, attempts: attempt };
    } catch (error) {
      // The provider did not bill a refused or unfinished request; give the reservation back.
      runtime.limiter.cancel(reservation);
      const context = { secret: runtime.secret, timedOut: timer.signal.aborted, aborted: signal.aborted, attempts: attempt, timeoutMs: runtime.requestTimeoutMs };
      if (context.aborted || context.timedOut || !isRetryableLlmError(error)) throw classifyLlmError(error, context);
      const askedMs = retryDelayFromHeaders((error as { headers?: Headers }).headers);
      const delayMs = retryDelayMs(runtime.retry, attempt, Math.random, askedMs);
      // Retrying before the provider said is pointless; past our longest wait, give up now.
      if (attempt >= runtime.retry.attempts || delayMs > MAX_PROVIDER_WAIT_MS) {
        throw classifyLlmError(error, { ...context, ...(askedMs !== undefined ? { retryAfterMs: askedMs } : {}) });
      }
      if (statusOf(error) === 429) {
        // Every thread waits, not just this call: the limit is the account's, not ours.
        runtime.limiter.pauseFor(delayMs);
      } else {
        try {
          await sleep(delayMs, undefined, { signal });
        } catch (abortError) {
          throw classifyLlmError(abortError, { ...context, aborted: true });
        }
      }
    } finally {
      clearTimeout(timeout);
    }
  }
}

type Answer = Omit<ChatResult, 'attempts'>;

async function sendOnce(client: OpenAI, request: ChatRequest, signal: AbortSignal, promptEstimate: number): Promise<Answer> {
  const base = {
    model: request.model,
    messages: [...request.messages],
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
  };
  if (!request.stream) {
    const completion = await client.chat.completions.create({ ...base, stream: false }, { signal });
    const message = completion.choices[0]?.message;
    return toAnswer(message?.content ?? '', message?.refusal ?? '', completion.usage, promptEstimate);
  }
  const stream = await client.chat.completions.create({ ...base, stream: true, stream_options: { include_usage: true } }, { signal });
  let text = '';
  let refusal = '';
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    text += delta?.content ?? '';
    refusal += delta?.refusal ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  return toAnswer(text, refusal, usage, promptEstimate);
}

function toAnswer(text: string, refusal: string, usage: OpenAI.CompletionUsage | undefined, promptEstimate: number): Answer {
  return {
    text,
    ...(refusal ? { refusal } : {}),
    inputTokens: usage?.prompt_tokens ?? promptEstimate,
    outputTokens: usage?.completion_tokens ?? Math.ceil(text.length / 4),
    estimated: usage === undefined,
  };
}
