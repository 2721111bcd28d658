/**
 * One HTTP request of the http driver, on the worker's pooled undici Agent: URL joining,
 * templated headers and JSON body, status classification and a body reader that enforces
 * maxReplyBytes and reports when the first byte came.
 */
import type { Dispatcher } from 'undici';
import { CallError } from '../errors.js';
import { renderJson, renderTemplate, type TemplateContext } from '../persona/template.js';
import type { HttpStepSpec } from '../spec/types.js';
import { classifyStatus } from './classify.js';
import { nowMs } from './types.js';

export type HttpHeaders = Record<string, string | string[] | undefined>;

export interface Sent {
  readonly response: Dispatcher.ResponseData;
  /** When the request was handed to the connection (the caller's utterance ended). */
  readonly sentAtMs: number;
  /** When the status line and headers arrived. */
  readonly headersAtMs: number;
}

/** Joins the target's base URL and a step path; an absolute URL in the path wins. */
export function stepUrl(baseUrl: string, path: string): URL {
  let url: URL;
  try {
    url = /^[a-z][a-z0-9+.-]*:\/\//i.test(path) ? new URL(path) : new URL(baseUrl.replace(/\/+$/, '') + (path.startsWith('/') || path === '' ? path : `/${path}`));
  } catch {
    throw new CallError('dns', `invalid URL: ${JSON.stringify(path)} on ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CallError('dns', `invalid URL: ${url.href} is not http(s)`);
  return url;
}

/** Renders a step and sends it; resolves when the response headers are in. */
export async function send(
  dispatcher: Dispatcher,
  options: { baseUrl: string; targetHeaders: Readonly<Record<string, string>>; step: HttpStepSpec; context: TemplateContext; accept: string; signal: AbortSignal },
): Promise<Sent> {
  const { step, context } = options;
  // The server's call id goes into paths URL-encoded; everything else is as written.
  const pathContext = context.callId === undefined ? context : { ...context, callId: encodeURIComponent(context.callId) };
  const url = stepUrl(options.baseUrl, renderTemplate(step.path, pathContext));
  const headers: Record<string, string> = { accept: options.accept };
  for (const [name, value] of Object.entries({ ...options.targetHeaders, ...step.headers })) {
    headers[name.toLowerCase()] = renderTemplate(String(value), context);
  }
  let body: string | undefined;
  if (step.body !== undefined) {
    body = JSON.stringify(renderJson(step.body, context));
    headers['content-type'] ??= 'application/json';
  }
  const sentAtMs = nowMs();
  const response = await dispatcher.request({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: step.method.toUpperCase() as Dispatcher.HttpMethod,
    headers,
    body,
    signal: options.signal,
  });
  return { response, sentAtMs, headersAtMs: nowMs() };
}

/** Throws the classified CallError for a non-2xx status, after releasing the connection. */
export async function checkStatus(sent: Sent, what: string): Promise<void> {
  const error = classifyStatus(sent.response.statusCode, sent.response.headers as HttpHeaders, what);
  if (!error) return;
  await sent.response.body.dump().catch(() => undefined);
  throw error;
}

/**
 * Reads the body as text, calling `onText` with each decoded piece. Stops with `protocol`
 * once more than `maxBytes` arrived. Returns when the first and last bytes came.
 */
export async function readBody(
  sent: Sent,
  maxBytes: number,
  what: string,
  onText: (text: string) => void,
): Promise<{ firstByteAtMs: number | undefined; endAtMs: number }> {
  const decoder = new TextDecoder();
  const body = sent.response.body;
  let firstByteAtMs: number | undefined;
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (chunk.length === 0) continue;
    firstByteAtMs ??= nowMs();
    bytes += chunk.length;
    if (bytes > maxBytes) {
      body.destroy();
      throw new CallError('protocol', `${what}: reply larger than maxReplyBytes (${maxBytes} bytes)`);
    }
    onText(decoder.decode(chunk, { stream: true }));
  }
  const rest = decoder.decode();
  if (rest) onText(rest);
  return { firstByteAtMs, endAtMs: nowMs() };
}

/** Reads and parses a whole JSON body. */
export async function readJson(sent: Sent, maxBytes: number, what: string): Promise<{ value: unknown; endAtMs: number }> {
  let text = '';
  const { endAtMs } = await readBody(sent, maxBytes, what, (piece) => (text += piece));
  return { value: parseJson(text, what), endAtMs };
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CallError('protocol', `${what}: reply is not JSON: ${excerpt(text)}`);
  }
}

/** A short, single-line sample of a bad reply for error messages. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}
