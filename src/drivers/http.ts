/**
 * The `http` driver: a receptionist that exposes create-call / send-turn / end-call
 * endpoints. Each worker thread holds one undici Agent, which keeps one keep-alive pool
 * per origin, so thousands of turns reuse a handful of connections.
 *
 * Replies are plain JSON, or streamed (`sse`: text deltas in events; `chunked`: a body that
 * arrives over time). For streams, response_time is the first body byte and turn_time the
 * end of the body; for plain JSON the first byte is the arrival of the response headers.
 */
import { Agent, type Dispatcher } from 'undici';
import { CallError } from '../errors.js';
import type { CallJob } from '../plan/types.js';
import type { HttpTargetSpec } from '../spec/types.js';
import { classifyError } from './classify.js';
import { driverContext } from './context.js';
import { deadline, untilAborted } from './deadline.js';
import { checkStatus, excerpt, parseJson, readBody, readJson, send, type Sent } from './http-exchange.js';
import { isTruthy, getPointer, textAt } from './json-pointer.js';
import { SseParser } from './sse.js';
import { nowMs, type AgentReply, type CallSession, type Driver, type OpenContext, type Utterance } from './types.js';

/** Hang-up requests get at most this long: they run after failures and must not stall the call. */
const HANGUP_LIMIT_MS = 5_000;

export class HttpDriver implements Driver {
  private readonly agent: Agent;

  constructor() {
    // keepAliveTimeout stays below node's default server keep-alive (5 s) so we never
    // write to a socket the server is closing.
    this.agent = new Agent({ keepAliveTimeout: 4_000, connect: { timeout: 10_000 } });
  }

  async open(context: OpenContext): Promise<CallSession> {
    if (context.target.driver !== 'http') throw new CallError('internal', `http driver given a ${context.target.driver} target`);
    const session = new HttpCallSession(this.agent, context.target, context.job);
    // The start request is bounded by turnTimeout only: cancelled mid-request, the agent may
    // still create the call, so the request finishes in the background and that call is
    // ended too. The caller gets its cancellation at once.
    const starting = session.start();
    try {
      await untilAborted(starting, context.signal, 'start call');
    } catch (error) {
      if (context.signal.aborted) starting.then(() => session.hangup(), () => undefined);
      throw error;
    }
    return session;
  }

  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const graceful = this.agent.close();
    const forced = new Promise<void>((resolve) => {
      timer = setTimeout(() => void this.agent.destroy().then(resolve, resolve), 2_000);
    });
    await Promise.race([graceful, forced]).catch(() => undefined);
    clearTimeout(timer);
  }
}

class HttpCallSession implements CallSession {
  private callId: string | undefined;
  private turns = 0;
  private ending: Promise<void> | undefined;
  connectedAtMs = 0;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly target: HttpTargetSpec,
    private readonly job: CallJob,
  ) {}

  get remoteId(): string | undefined {
    return this.callId;
  }

  async start(): Promise<void> {
    const what = 'start call';
    const limit = deadline(new AbortController().signal, this.target.turnTimeoutMs, what);
    try {
      const sent = await this.send(this.target.start, { turn: 0 }, 'application/json', limit.signal);
      await checkStatus(sent, what);
      const { value } = await readJson(sent, this.target.maxReplyBytes, what);
      const id = textAt(value, this.target.start.callId);
      if (typeof id !== 'string' || id === '') {
        throw new CallError('protocol', `${what}: no call id at ${JSON.stringify(this.target.start.callId)} in ${excerpt(JSON.stringify(value))}`);
      }
      this.callId = id;
      this.connectedAtMs = nowMs();
    } catch (error) {
      throw limit.reason() ?? classifyError(error, what);
    } finally {
      limit.clear();
    }
  }

  async turn(utterance: Utterance, signal: AbortSignal): Promise<AgentReply> {
    // A retried turn keeps its index: only a completed turn moves the conversation on.
    const index = this.turns;
    const what = `turn ${index + 1}`;
    if (this.ending) throw new CallError('internal', `${what}: the call was already hung up`);
    const mode = this.target.turn.stream;
    const accept = mode === 'sse' ? 'text/event-stream' : mode === 'chunked' ? 'application/x-ndjson, application/json;q=0.9, text/plain;q=0.5' : 'application/json';
    const limit = deadline(signal, this.target.turnTimeoutMs, what);
    try {
      const sent = await this.send(this.target.turn, { turn: index, text: utterance.text }, accept, limit.signal);
      await checkStatus(sent, what);
      // An agent may answer a streaming request with plain JSON (errors, short replies).
      const isEventStream = String(sent.response.headers['content-type'] ?? '').includes('text/event-stream');
      const reply = mode === 'sse' && isEventStream ? await this.readSse(sent, what) : await this.readWhole(sent, what, mode !== 'none');
      this.turns++;
      return reply;
    } catch (error) {
      throw limit.reason() ?? classifyError(error, what);
    } finally {
      limit.clear();
    }
  }

  hangup(): Promise<void> {
    this.ending ??= this.end();
    return this.ending;
  }

  private async end(): Promise<void> {
    if (this.callId === undefined) return;
    const signal = AbortSignal.timeout(Math.min(this.target.turnTimeoutMs, HANGUP_LIMIT_MS));
    try {
      const sent = await this.send(this.target.end, { turn: this.turns }, 'application/json', signal);
      await sent.response.body.dump();
    } catch {
      // Nothing left to report to: the call's outcome is already decided. The server ends
      // an abandoned call on its own time.
    }
  }

  private send(step: HttpTargetSpec['start'] | HttpTargetSpec['turn'] | HttpTargetSpec['end'], at: { turn: number; text?: string }, accept: string, signal: AbortSignal): Promise<Sent> {
    const context = driverContext(this.job, { ...at, ...(this.callId === undefined ? {} : { callId: this.callId }) });
    return send(this.dispatcher, { baseUrl: this.target.url, targetHeaders: this.target.headers, step, context, accept, signal });
  }

  /**
   * A JSON reply read whole, or a chunked body: one JSON document, JSON lines (each line's
   * reply text joined, like SSE events), or plain text when it is neither.
   */
  private async readWhole(sent: Sent, what: string, streamed: boolean): Promise<AgentReply> {
    let text = '';
    const { firstByteAtMs, endAtMs } = await readBody(sent, this.target.maxReplyBytes, what, (piece) => (text += piece));
    const first = streamed ? (firstByteAtMs ?? endAtMs) : sent.headersAtMs;
    const documents = streamed ? jsonDocuments(text) : [parseJson(text, what)];
    if (documents === undefined) {
      if (String(sent.response.headers['content-type'] ?? '').includes('json')) throw new CallError('protocol', `${what}: reply is not JSON: ${excerpt(text)}`);
      return { text, sentAtMs: sent.sentAtMs, firstByteAtMs: first, endAtMs, agentHungUp: false };
    }
    const pieces: string[] = [];
    let agentHungUp = false;
    for (const value of documents) {
      const piece = textAt(value, this.target.turn.reply);
      if (piece === null || (piece === undefined && documents.length === 1)) {
        throw new CallError('protocol', `${what}: no reply text at ${JSON.stringify(this.target.turn.reply)} in ${excerpt(text)}`);
      }
      if (piece !== undefined) pieces.push(piece);
      if (this.target.turn.hangup && isTruthy(getPointer(value, this.target.turn.hangup))) agentHungUp = true;
    }
    return { text: pieces.join(''), sentAtMs: sent.sentAtMs, firstByteAtMs: first, endAtMs, agentHungUp };
  }

  /** Server-sent events: the reply is the text at the reply pointer of every event, joined. */
  private async readSse(sent: Sent, what: string): Promise<AgentReply> {
    const parser = new SseParser();
    const pieces: string[] = [];
    let agentHungUp = false;
    const onEvents = (events: ReturnType<SseParser['push']>): void => {
      for (const event of events) {
        // OpenAI-style streams end with a sentinel that is not JSON.
        if (event.data === '[DONE]') continue;
        const value = parseJson(event.data, what);
        const piece = textAt(value, this.target.turn.reply);
        if (piece === null) throw new CallError('protocol', `${what}: event text at ${JSON.stringify(this.target.turn.reply)} is not text: ${excerpt(event.data)}`);
        if (piece !== undefined) pieces.push(piece);
        if (this.target.turn.hangup && isTruthy(getPointer(value, this.target.turn.hangup))) agentHungUp = true;
      }
    };
    const { firstByteAtMs, endAtMs } = await readBody(sent, this.target.maxReplyBytes, what, (piece) => onEvents(parser.push(piece)));
    onEvents(parser.end());
    return { text: pieces.join(''), sentAtMs: sent.sentAtMs, firstByteAtMs: firstByteAtMs ?? endAtMs, endAtMs, agentHungUp };
  }
}

/** A streamed body as JSON: one document, or one per non-empty line; undefined for plain text. */
function jsonDocuments(text: string): unknown[] | undefined {
  try {
    return [JSON.parse(text)];
  } catch {
    // not one document; maybe JSON lines
  }
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) return undefined;
  try {
    return lines.map((line) => JSON.parse(line) as unknown);
  } catch {
    return undefined;
  }
}
