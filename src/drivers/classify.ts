/**
 * Turns what the network throws (node socket errors, undici and ws errors, HTTP statuses,
 * WebSocket close codes) into the call error codes of errors.ts, so every failure lands in
 * the report's breakdown under a name a user can act on. Drivers never let a raw error out.
 */
import { CallError, type CallErrorCode } from '../errors.js';

const CODE_MAP: Readonly<Record<string, CallErrorCode>> = {
  ECONNREFUSED: 'connect_refused',
  EHOSTUNREACH: 'connect_refused',
  ENETUNREACH: 'connect_refused',
  EADDRNOTAVAIL: 'connect_refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  EAI_FAIL: 'dns',
  ERR_INVALID_URL: 'dns',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  ECONNABORTED: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  UND_ERR_CLOSED: 'connection_reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE: 'protocol',
  HPE_INVALID_CONSTANT: 'protocol',
  UND_ERR_INFO: 'protocol',
  EPROTO: 'tls',
  HOSTNAME_MISMATCH: 'tls',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
  UNABLE_TO_GET_ISSUER_CERT: 'tls',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls',
};

/** Codes by prefix: whole families (OpenSSL, node TLS, certificate checks, llhttp, ws framing). */
const PREFIX_MAP: readonly (readonly [string, CallErrorCode])[] = [
  ['ERR_SSL_', 'tls'],
  ['ERR_TLS_', 'tls'],
  ['CERT_', 'tls'],
  ['HPE_', 'protocol'],
  ['WS_ERR_', 'protocol'],
];

/** Every error in a cause / AggregateError tree, outermost first. */
function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.length < 20) {
    const current = queue.shift();
    if (current === undefined || current === null || seen.includes(current)) continue;
    seen.push(current);
    if (current instanceof AggregateError) queue.push(...current.errors);
    if (current instanceof Error && current.cause !== undefined) queue.push(current.cause);
  }
  return seen;
}

function codeFor(error: unknown): CallErrorCode | undefined {
  if (error instanceof CallError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const direct = CODE_MAP[code];
    if (direct) return direct;
    for (const [prefix, mapped] of PREFIX_MAP) if (code.startsWith(prefix)) return mapped;
  }
  if (error instanceof Error) {
    const message = error.message;
    // URL parsing in ws and undici throws SyntaxError / TypeError without a code.
    if (/invalid url|url's protocol|invalid protocol/i.test(message)) return 'dns';
    if (/timed out|timeout/i.test(message)) return 'timeout';
    // ws refuses to send on a socket the server has begun to close.
    if (/websocket is not open/i.test(message)) return 'connection_reset';
    if (/certificate|ssl|tls|handshake/i.test(message) && !/websocket/i.test(message)) return 'tls';
  }
  return undefined;
}

/** Classifies anything a transport threw; `what` says which step failed, for the message. */
export function classifyError(error: unknown, what: string): CallError {
  if (error instanceof CallError) return error;
  const errors = chain(error);
  let code: CallErrorCode | undefined;
  // The innermost cause names the real problem (undici wraps socket errors).
  for (const item of errors) code = codeFor(item) ?? code;
  const detail = errors
    .map((item) => (item instanceof Error ? `${(item as { code?: string }).code ?? item.name}: ${item.message}` : String(item)))
    .filter((text, i, all) => all.indexOf(text) === i)
    .join(' <- ');
  return new CallError(code ?? 'internal', `${what}: ${detail}`, { cause: error });
}

/**
 * Retry-After as milliseconds from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Unparseable values give undefined, so the engine falls back to its own backoff.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, nowEpochMs = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowEpochMs);
}

/** The CallError for a non-2xx HTTP status, or undefined for a success. */
export function classifyStatus(status: number, headers: Readonly<Record<string, string | string[] | undefined>>, what: string): CallError | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers['retry-after']);
    const wait = retryAfterMs === undefined ? '' : ` (Retry-After ${retryAfterMs} ms)`;
    return new CallError('rate_limited', `${what}: HTTP 429${wait}`, retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  if (status >= 500) return new CallError('http_5xx', `${what}: HTTP ${status}`);
  if (status >= 400) return new CallError('http_4xx', `${what}: HTTP ${status}`);
  // 1xx/3xx: redirects are not followed; a receptionist API that redirects is misconfigured.
  return new CallError('protocol', `${what}: unexpected HTTP ${status}`);
}

/**
 * A WebSocket closed by the server while a turn waited for its reply. 1011 (internal error)
 * is the WebSocket spelling of a 5xx and 1013 (try again later) of a 429; 1009 means our
 * message or theirs was too big; anything else is a connection lost mid-call.
 */
export function classifyClose(closeCode: number, reason: string, what: string): CallError {
  const suffix = `${what}: the server closed the socket (${closeCode}${reason ? ` ${reason}` : ''})`;
  if (closeCode === 1011) return new CallError('http_5xx', suffix);
  if (closeCode === 1013) return new CallError('rate_limited', suffix);
  if (closeCode === 1009 || closeCode === 1007 || closeCode === 1003 || closeCode === 1002) return new CallError('protocol', suffix);
  return new CallError('connection_reset', suffix);
}
