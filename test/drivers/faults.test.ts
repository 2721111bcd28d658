/**
 * Every fault class, through the real drivers against real sockets on 127.0.0.1: each ends
 * the call with its documented code, in bounded time, and every call the server saw begin
 * is still ended by the driver's hang-up.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyError, parseRetryAfter } from '../../src/drivers/classify.js';
import { HttpDriver } from '../../src/drivers/http.js';
import { WebSocketDriver } from '../../src/drivers/websocket.js';
import { CallError } from '../../src/errors.js';
import { startFaultServer, type FaultServerOptions } from '../support/fault-server.js';
import { httpTarget, makeJob, playCall, wsTarget } from '../support/driver-fixture.js';

const http = new HttpDriver();
const ws = new WebSocketDriver();
afterAll(() => Promise.all([http.close(), ws.close()]));

/** A port nobody listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs one call against a fault server and checks the server saw it end. */
async function faultCall(driver: 'http' | 'websocket', options: FaultServerOptions, lines = ['Hello?'], targetOverrides = {}) {
  const server = await startFaultServer(options);
  try {
    const target = driver === 'http' ? httpTarget(server.url, { turnTimeoutMs: 400, ...targetOverrides }) : wsTarget(server.wsUrl, { turnTimeoutMs: 400, ...targetOverrides });
    const started = Date.now();
    const call = await playCall(driver === 'http' ? http : ws, target, lines);
    const elapsedMs = Date.now() - started;
    // The hang-up has been awaited; the server may still be processing the close frame.
    await waitFor(() => server.counts.ended === server.counts.begun);
    return { call, elapsedMs, counts: { ...server.counts } };
  } finally {
    await server.close();
  }
}

async function waitFor(condition: () => boolean, limitMs = 2_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('http driver faults', () => {
  it('connection refused → connect_refused', async () => {
    const call = await playCall(http, httpTarget(`http://127.0.0.1:${await closedPort()}`), ['Hello?']);
    expect(call.error?.code).toBe('connect_refused');
    expect(call.error?.retryable).toBe(true);
  });

  it.each(['http://exa mple.com', 'not a url', 'ftp://127.0.0.1/'])('invalid URL %j → dns', async (url) => {
    const call = await playCall(http, httpTarget(url), ['Hello?']);
    expect(call.error?.code).toBe('dns');
  });

  it.each([
    ['start 404', { start: { status: 404 } }, 'http_4xx'],
    ['start 503', { start: { status: 503 } }, 'http_5xx'],
    ['turn 400', { turn: { status: 400 } }, 'http_4xx'],
    ['turn 500', { turn: { status: 500 } }, 'http_5xx'],
    ['turn reset', { turn: 'reset' }, 'connection_reset'],
    ['turn never answers', { turn: 'hang' }, 'timeout'],
    ['turn garbage', { turn: 'garbage' }, 'protocol'],
    ['turn huge', { turn: 'huge' }, 'protocol'],
    ['start garbage', { start: 'garbage' }, 'protocol'],
    ['start never answers', { start: 'hang' }, 'timeout'],
    ['start reset', { start: 'reset' }, 'connection_reset'],
  ] as const)('%s → %s, and the call is ended', async (_name, options, code) => {
    const { call, counts, elapsedMs } = await faultCall('http', options as FaultServerOptions);
    expect(call.error?.code).toBe(code);
    expect(counts.ended).toBe(counts.begun);
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('a stream cut mid-reply → connection_reset', async () => {
    const { call, counts } = await faultCall('http', { turn: 'reset-mid-stream' }, ['Hello?'], { turn: { ...httpTarget('').turn, stream: 'sse', reply: '/delta' } });
    expect(call.error?.code).toBe('connection_reset');
    expect(counts).toMatchObject({ begun: 1, ended: 1 });
  });

  it('429 → rate_limited, retryable, with Retry-After in seconds or as an HTTP date', async () => {
    const seconds = await faultCall('http', { turn: { status: 429, headers: { 'retry-after': '2' } } });
    expect(seconds.call.error?.code).toBe('rate_limited');
    expect(seconds.call.error?.retryable).toBe(true);
    expect(seconds.call.error?.retryAfterMs).toBe(2_000);
    const date = new Date(Date.now() + 30_000).toUTCString();
    const dated = await faultCall('http', { start: { status: 429, headers: { 'retry-after': date } } });
    expect(dated.call.error?.code).toBe('rate_limited');
    expect(dated.call.error?.retryAfterMs).toBeGreaterThan(25_000);
    expect(dated.call.error?.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('a cancelled turn ends with the canceller’s reason, and hang-up still runs', async () => {
    const server = await startFaultServer({ turn: 'hang' });
    try {
      const controller = new AbortController();
      const session = await http.open({ job: makeJob(), target: httpTarget(server.url), signal: controller.signal });
      setTimeout(() => controller.abort(new CallError('hangup_early', 'the caller lost patience')), 50);
      await expect(session.turn({ kind: 'text', text: 'Hello?' }, controller.signal)).rejects.toMatchObject({ code: 'hangup_early' });
      await session.hangup();
      await session.hangup();
      expect(server.counts).toMatchObject({ begun: 1, ended: 1 });
    } finally {
      await server.close();
    }
  });
});

describe('http connection pooling', () => {
  it('reuses keep-alive connections for sequential calls of a worker', async () => {
    const server = await startFaultServer();
    try {
      for (let i = 0; i < 5; i++) expect((await playCall(http, httpTarget(server.url), ['Hello?', 'Again?'], makeJob(i))).error).toBeUndefined();
      // 20 requests over at most two connections (undici may open a second while the first
      // is still finishing a response); without keep-alive there would be 20.
      expect(server.counts).toMatchObject({ starts: 5, turns: 10, begun: 5, ended: 5 });
      expect(server.counts.connections).toBeLessThanOrEqual(2);
    } finally {
      await server.close();
    }
  });
});

describe('chunked replies', () => {
  it('take a plain-text body as the reply, timed from its first piece', async () => {
    const { call } = await faultCall('http', { turn: 'text' }, ['Hello?'], { turn: { ...httpTarget('').turn, stream: 'chunked' } });
    expect(call.error).toBeUndefined();
    expect(call.replies[0]?.text).toBe('We are open until 6 pm.');
    expect(call.replies[0]!.endAtMs - call.replies[0]!.firstByteAtMs).toBeGreaterThanOrEqual(20);
  });

  it('refuse a body that claims to be JSON but is not', async () => {
    const { call } = await faultCall('http', { turn: 'garbage' }, ['Hello?'], { turn: { ...httpTarget('').turn, stream: 'chunked' } });
    expect(call.error?.code).toBe('protocol');
  });
});

describe('websocket replies', () => {
  it('take one message per reply when endField is unset', async () => {
    const { call } = await faultCall('websocket', { turn: 'ok' }, ['Hello?', 'Again?'], { endField: undefined });
    expect(call.error).toBeUndefined();
    expect(call.replies.map((reply) => reply.text)).toEqual(['fine', 'fine']);
  });
});

describe('cancelled while the agent creates the call', () => {
  it('gives up at once, and still ends the call the agent created late', async () => {
    const server = await startFaultServer({ start: { delayMs: 300 } });
    try {
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(new CallError('aborted', 'Ctrl-C')), 50);
      await expect(http.open({ job: makeJob(), target: httpTarget(server.url), signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
      expect(Date.now() - started).toBeLessThan(250);
      await waitFor(() => server.counts.ended === 1);
      expect(server.counts).toMatchObject({ starts: 1, begun: 1, ended: 1 });
    } finally {
      await server.close();
    }
  });
});

describe('TLS', () => {
  let dir: string | undefined;
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('https against a plain HTTP server → tls', async () => {
    const server = await startFaultServer();
    try {
      const call = await playCall(http, httpTarget(server.url.replace('http:', 'https:')), ['Hello?']);
      expect(call.error?.code).toBe('tls');
      const socket = await playCall(ws, wsTarget(server.wsUrl.replace('ws:', 'wss:')), ['Hello?']);
      expect(socket.error?.code).toBe('tls');
    } finally {
      await server.close();
    }
  });

  it('a self-signed certificate → tls', async (context) => {
    dir = mkdtempSync(path.join(tmpdir(), 'loadspec-tls-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    } catch {
      context.skip('openssl is not available to make a certificate');
    }
    const server = await startFaultServer({ tls: { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') } });
    try {
      const call = await playCall(http, httpTarget(server.url), ['Hello?']);
      expect(call.error?.code).toBe('tls');
      expect(call.error?.message).toMatch(/SELF_SIGNED|self.signed/i);
      const socket = await playCall(ws, wsTarget(server.wsUrl), ['Hello?']);
      expect(socket.error?.code).toBe('tls');
    } finally {
      await server.close();
    }
  });
});

describe('websocket driver faults', () => {
  it('connection refused → connect_refused; invalid URL → dns', async () => {
    expect((await playCall(ws, wsTarget(`ws://127.0.0.1:${await closedPort()}/ws`), ['Hello?'])).error?.code).toBe('connect_refused');
    expect((await playCall(ws, wsTarget('ws://exa mple/ws'), ['Hello?'])).error?.code).toBe('dns');
    expect((await playCall(ws, wsTarget('nothing'), ['Hello?'])).error?.code).toBe('dns');
  });

  it('a refused upgrade is classified by its status, 429 with its Retry-After', async () => {
    const limited = await faultCall('websocket', { upgrade: { status: 429, headers: { 'retry-after': '3' } } });
    expect(limited.call.error).toMatchObject({ code: 'rate_limited', retryAfterMs: 3_000 });
    const missing = await faultCall('websocket', { upgrade: { status: 404 } });
    expect(missing.call.error?.code).toBe('http_4xx');
  });

  it('a handshake that never completes → timeout', async () => {
    const { call, elapsedMs } = await faultCall('websocket', { upgrade: 'hang' });
    expect(call.error?.code).toBe('timeout');
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it.each([
    ['socket cut mid-turn', 'reset', 'connection_reset'],
    ['socket closed normally mid-turn', 'close', 'connection_reset'],
    ['close 1011', { closeCode: 1011 }, 'http_5xx'],
    ['close 1013', { closeCode: 1013 }, 'rate_limited'],
    ['never answers', 'hang', 'timeout'],
    ['garbage', 'garbage', 'protocol'],
    ['huge', 'huge', 'protocol'],
  ] as const)('%s → %s, and the call is ended', async (_name, behaviour, code) => {
    const { call, counts, elapsedMs } = await faultCall('websocket', { turn: behaviour });
    expect(call.error?.code).toBe(code);
    expect(counts).toMatchObject({ begun: 1, ended: 1 });
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('many small chunks adding up past maxReplyBytes → protocol', async () => {
    const { call } = await faultCall('websocket', { turn: 'huge', hugeBytes: 2_000 }, ['Hello?'], { maxReplyBytes: 1_000 });
    expect(call.error?.code).toBe('protocol');
  });
});

const CLASSIFIED: readonly (readonly [{ code?: string; message?: string }, string])[] = [
  [{ code: 'ENOTFOUND' }, 'dns'],
  [{ code: 'EAI_AGAIN' }, 'dns'],
  [{ code: 'ECONNRESET' }, 'connection_reset'],
  [{ code: 'EPIPE' }, 'connection_reset'],
  [{ code: 'CERT_HAS_EXPIRED' }, 'tls'],
  [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'tls'],
  [{ code: 'UND_ERR_HEADERS_TIMEOUT' }, 'timeout'],
  [{ message: 'WebSocket is not open: readyState 2 (CLOSING)' }, 'connection_reset'],
  [{ message: 'Opening handshake has timed out' }, 'timeout'],
];

describe('classification', () => {
  it.each(CLASSIFIED)('%j → %s', (fields, code) => {
    expect(classifyError(Object.assign(new Error(fields.message ?? 'boom'), fields), 'turn 1').code).toBe(code);
  });

  it('finds the code in a cause or an AggregateError (happy eyeballs)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyError(new AggregateError([refused, refused]), 'start').code).toBe('connect_refused');
    expect(classifyError(new TypeError('fetch failed', { cause: refused }), 'start').code).toBe('connect_refused');
    expect(classifyError(new Error('???'), 'start').code).toBe('internal');
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores nonsense', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:05 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
