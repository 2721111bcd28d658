/**
 * The demo receptionist's HTTP API (the protocol the http driver's defaults speak):
 *
 *   POST   /calls             {scenario, variant, caller} → 201 {callId, greeting}
 *   POST   /calls/:id/turns   {text} → 200 {reply, hangup}; streamed as SSE events
 *                             (Accept: text/event-stream) or JSON lines over chunked
 *                             encoding (Accept: application/x-ndjson): {"delta": ...}
 *                             pieces, then {"done": true, "hangup": ...}
 *   DELETE /calls/:id         → 204 (404 for an unknown id)
 *   GET    /stats             → the counters of DemoStats
 *   GET    /                  → what the demo speaks
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DemoFault } from '../spec/types.js';
import { replyPieces, sleep, type DemoAgent, type TurnOutcome } from './agent.js';
import { GREETING } from './dialogue.js';

const MAX_REQUEST_BYTES = 64 * 1024;

/** What `GET /` answers, for whoever opens the demo's URL in a browser. */
const ABOUT = {
  name: 'loadspec demo receptionist',
  http: ['POST /calls', 'POST /calls/:id/turns', 'DELETE /calls/:id', 'GET /stats'],
  websocket: 'GET /ws (upgrade), then {"type":"say","text":"..."} and {"type":"hangup"}',
};

type Streaming = 'sse' | 'ndjson' | 'none';

export async function handleHttp(agent: DemoAgent, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://demo');
  const parts = url.pathname.split('/').filter(Boolean);
  const method = request.method ?? 'GET';
  try {
    if (method === 'GET' && url.pathname === '/stats') return json(response, 200, agent.stats());
    if (method === 'GET' && url.pathname === '/') return json(response, 200, ABOUT);
    if (parts[0] !== 'calls') return json(response, 404, { error: `no route ${method} ${url.pathname}` });
    if (parts.length === 1 && method === 'POST') {
      const body = await readJsonBody(request);
      const call = agent.begin(body);
      return json(response, 201, { callId: call.id, greeting: GREETING });
    }
    const call = parts[1] === undefined ? undefined : agent.get(decodeURIComponent(parts[1]));
    if (parts.length === 2 && method === 'DELETE') {
      if (!call) return json(response, 404, { error: 'no such call' });
      agent.end(call, true);
      response.writeHead(204).end();
      return;
    }
    if (parts.length === 3 && parts[2] === 'turns' && method === 'POST') {
      if (!call) return json(response, 404, { error: 'no such call' });
      if (call.ended) return json(response, 409, { error: 'the call has ended' });
      const body = await readJsonBody(request);
      if (typeof body.text !== 'string') return json(response, 400, { error: 'a turn needs {"text": "..."}' });
      const gone = new AbortController();
      response.once('close', () => {
        if (!response.writableFinished) gone.abort(new Error('the caller went away'));
      });
      const outcome = await agent.turn(call, body.text, gone.signal);
      await answerTurn(agent, request, response, outcome, streamingOf(request), gone.signal);
      return;
    }
    return json(response, 404, { error: `no route ${method} ${url.pathname}` });
  } catch (error) {
    if (response.destroyed || response.writableEnded) return;
    const status = error instanceof BadRequest ? 400 : 500;
    json(response, status, { error: error instanceof Error ? error.message : String(error) });
  }
}

function streamingOf(request: IncomingMessage): Streaming {
  const accept = request.headers.accept ?? '';
  if (accept.includes('text/event-stream')) return 'sse';
  if (accept.includes('ndjson')) return 'ndjson';
  return 'none';
}

async function answerTurn(agent: DemoAgent, request: IncomingMessage, response: ServerResponse, outcome: TurnOutcome, streaming: Streaming, signal: AbortSignal): Promise<void> {
  if (outcome.kind === 'fault') return injectFault(agent, request, response, outcome.fault, streaming);
  if (streaming === 'none') return json(response, 200, { reply: outcome.text, hangup: outcome.hangup });
  const frame = streaming === 'sse' ? (data: unknown) => `data: ${JSON.stringify(data)}\n\n` : (data: unknown) => `${JSON.stringify(data)}\n`;
  response.writeHead(200, { 'content-type': streaming === 'sse' ? 'text/event-stream' : 'application/x-ndjson', 'cache-control': 'no-cache' });
  const pieces = replyPieces(outcome.text);
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) await sleep(agent.options.streamGapMs, signal);
    response.write(frame({ delta: piece }));
  }
  response.end(frame({ done: true, hangup: outcome.hangup }));
}

async function injectFault(agent: DemoAgent, request: IncomingMessage, response: ServerResponse, fault: DemoFault, streaming: Streaming): Promise<void> {
  switch (fault) {
    case 'http_5xx':
      return json(response, 500, { error: 'the model backend failed' });
    case 'rate_limited':
      response.setHeader('retry-after', String(agent.options.retryAfterSec));
      return json(response, 429, { error: 'too many requests' });
    case 'drop':
      // Mid-turn: a streamed reply gets its headers and a first piece before the cut.
      if (streaming !== 'none') {
        response.writeHead(200, { 'content-type': streaming === 'sse' ? 'text/event-stream' : 'application/x-ndjson' });
        response.write(streaming === 'sse' ? 'data: {"delta":"Let me "}\n\n' : '{"delta":"Let me "}\n');
        await new Promise((resolve) => setTimeout(resolve, agent.options.streamGapMs));
      }
      request.socket.destroy();
      return;
    case 'hang':
      // Never answer: the connection stays open until the caller gives up or the demo stops.
      return;
    case 'garbage': {
      const body = streaming === 'sse' ? 'data: {"delta": "Sure, let me che\n\n' : '{"reply": "Sure, let me che';
      response.writeHead(200, { 'content-type': streaming === 'sse' ? 'text/event-stream' : 'application/json' });
      response.end(body);
      return;
    }
  }
}

class BadRequest extends Error {}

async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new BadRequest('request body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequest('the request body is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BadRequest('the request body must be a JSON object');
  return value as Record<string, unknown>;
}

function json(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
