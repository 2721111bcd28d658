/**
 * The `websocket` driver: one socket per call. Each caller turn is one templated JSON
 * message; the agent's reply is one message, or every message until the one whose
 * `endField` is truthy (streamed text). response_time is the first reply message,
 * turn_time the last.
 *
 * A socket the server closes mid-turn is `connection_reset`, unless the agent said it was
 * hanging up (`hangupField`); close codes 1011/1013/1009 map to http_5xx / rate_limited /
 * protocol (see classify.ts).
 */
import WebSocket, { type RawData } from 'ws';
import type { IncomingMessage } from 'node:http';
import { CallError } from '../errors.js';
import type { CallJob } from '../plan/types.js';
import { renderJson, renderTemplate } from '../persona/template.js';
import type { WebSocketTargetSpec } from '../spec/types.js';
import { classifyClose, classifyError, classifyStatus } from './classify.js';
import { driverContext } from './context.js';
import { deadline } from './deadline.js';
import { excerpt } from './http-exchange.js';
import { getPointer, isTruthy, textAt } from './json-pointer.js';
import { nowMs, type AgentReply, type CallSession, type Driver, type OpenContext, type Utterance } from './types.js';

/** How long a polite close may take before the socket is cut. */
const CLOSE_LIMIT_MS = 1_000;

export class WebSocketDriver implements Driver {
  private readonly sockets = new Set<WebSocket>();

  /** Sockets of calls in progress (cut by `close()`). */
  get openSockets(): number {
    return this.sockets.size;
  }

  async open(context: OpenContext): Promise<CallSession> {
    if (context.target.driver !== 'websocket') throw new CallError('internal', `websocket driver given a ${context.target.driver} target`);
    const socket = await connect(context.target, context.job, context.signal);
    // The session takes the socket's listeners over, so the driver's own comes after it.
    const session = new WsCallSession(socket, context.target, context.job, nowMs());
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return session;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
  }
}

async function connect(target: WebSocketTargetSpec, job: CallJob, signal: AbortSignal): Promise<WebSocket> {
  const what = 'connect';
  const context = driverContext(job, { turn: 0 });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(target.headers)) headers[name.toLowerCase()] = renderTemplate(String(value), context);
  let socket: WebSocket;
  try {
    socket = new WebSocket(renderTemplate(target.url, context), { headers, maxPayload: target.maxReplyBytes });
  } catch (error) {
    throw new CallError('dns', `${what}: invalid URL ${JSON.stringify(target.url)} (${error instanceof Error ? error.message : String(error)})`);
  }
  // turnTimeout bounds the handshake (not ws's handshakeTimeout, whose error has no code).
  const limit = deadline(signal, target.turnTimeoutMs, what);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', (error) => reject(classifyError(error, what)));
      socket.once('close', (code, reason) => reject(classifyClose(code, reason.toString(), what)));
      // Without this listener ws turns a refused upgrade into a generic error; with it we
      // can read the status (a 429 and its Retry-After, a 404 for a wrong path).
      socket.once('unexpected-response', (request, response: IncomingMessage) => {
        reject(classifyStatus(response.statusCode ?? 0, response.headers, what) ?? new CallError('protocol', `${what}: HTTP ${response.statusCode} instead of a WebSocket upgrade`));
        request.destroy();
      });
      limit.signal.addEventListener('abort', () => reject(limit.reason()), { once: true });
    });
    return socket;
  } catch (error) {
    socket.removeAllListeners();
    socket.on('error', () => undefined);
    socket.terminate();
    throw limit.reason() ?? classifyError(error, what);
  } finally {
    limit.clear();
  }
}

interface PendingTurn {
  readonly what: string;
  readonly pieces: string[];
  bytes: number;
  sentAtMs: number;
  firstByteAtMs: number | undefined;
  hungUp: boolean;
  resolve(reply: AgentReply): void;
  reject(error: CallError): void;
}

class WsCallSession implements CallSession {
  private pending: PendingTurn | undefined;
  private closed: CallError | undefined;
  private agentHungUp = false;
  private turns = 0;
  private ending: Promise<void> | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly target: WebSocketTargetSpec,
    private readonly job: CallJob,
    readonly connectedAtMs: number,
  ) {
    socket.removeAllListeners();
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('error', (error) => this.fail(classifyError(error, this.pending?.what ?? 'call')));
    socket.on('close', (code, reason) => this.onClose(code, reason.toString()));
  }

  turn(utterance: Utterance, signal: AbortSignal): Promise<AgentReply> {
    // A retried turn keeps its index: only a completed turn moves the conversation on.
    const index = this.turns;
    const what = `turn ${index + 1}`;
    if (this.ending) return Promise.reject(new CallError('internal', `${what}: the call was already hung up`));
    if (this.closed || this.socket.readyState !== WebSocket.OPEN) {
      if (this.agentHungUp) return Promise.reject(new CallError('agent_hangup', `${what}: the agent already ended the call`));
      return Promise.reject(this.closed ?? new CallError('connection_reset', `${what}: the server is closing the socket`));
    }
    const context = driverContext(this.job, { turn: index, text: utterance.text });
    const message = JSON.stringify(renderJson(this.target.send, context));
    const limit = deadline(signal, this.target.turnTimeoutMs, what);
    return new Promise<AgentReply>((resolve, reject) => {
      this.pending = { what, pieces: [], bytes: 0, sentAtMs: 0, firstByteAtMs: undefined, hungUp: false, resolve, reject };
      limit.signal.addEventListener('abort', () => this.fail(limit.reason() ?? new CallError('aborted', `${what}: cancelled`)), { once: true });
      this.socket.send(message, (error) => {
        if (error) this.fail(classifyError(error, what));
      });
      this.pending.sentAtMs = nowMs();
    }).finally(() => limit.clear());
  }

  hangup(): Promise<void> {
    this.ending ??= this.end();
    return this.ending;
  }

  private async end(): Promise<void> {
    this.fail(new CallError('aborted', 'the call was hung up during a turn'));
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    if (this.socket.readyState === WebSocket.OPEN) {
      try {
        if (this.target.hangup !== undefined) {
          this.socket.send(JSON.stringify(renderJson(this.target.hangup, driverContext(this.job, { turn: this.turns }))));
        }
        this.socket.close(1000, 'caller hung up');
      } catch {
        this.socket.terminate();
      }
    } else {
      this.socket.terminate();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_LIMIT_MS)))]);
    clearTimeout(timer);
    if ((this.socket.readyState as number) !== WebSocket.CLOSED) this.socket.terminate();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const turn = this.pending;
    // Messages outside a turn (a greeting, a late chunk after a timeout) answer nothing.
    if (!turn) return;
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
    turn.firstByteAtMs ??= nowMs();
    turn.bytes += Buffer.byteLength(text);
    if (turn.bytes > this.target.maxReplyBytes) {
      this.fail(new CallError('protocol', `${turn.what}: reply larger than maxReplyBytes (${this.target.maxReplyBytes} bytes)`));
      return;
    }
    let value: unknown;
    try {
      if (isBinary) throw new Error('binary');
      value = JSON.parse(text);
    } catch {
      this.fail(new CallError('protocol', `${turn.what}: message is not JSON: ${excerpt(text)}`));
      return;
    }
    const piece = textAt(value, this.target.reply);
    if (piece === null || (piece === undefined && !this.target.endField)) {
      this.fail(new CallError('protocol', `${turn.what}: no reply text at ${JSON.stringify(this.target.reply)} in ${excerpt(text)}`));
      return;
    }
    if (piece !== undefined) turn.pieces.push(piece);
    if (this.target.hangupField && isTruthy(getPointer(value, this.target.hangupField))) {
      turn.hungUp = true;
      this.agentHungUp = true;
    }
    const done = !this.target.endField || isTruthy(getPointer(value, this.target.endField));
    if (done) this.finish(turn);
  }

  private onClose(code: number, reason: string): void {
    this.closed = classifyClose(code, reason, this.pending?.what ?? 'call');
    const turn = this.pending;
    if (!turn) return;
    // An agent that said goodbye may close without sending its end marker.
    if (turn.hungUp) this.finish(turn);
    else this.fail(this.closed);
  }

  private finish(turn: PendingTurn): void {
    this.pending = undefined;
    this.turns++;
    const endAtMs = nowMs();
    turn.resolve({ text: turn.pieces.join(''), sentAtMs: turn.sentAtMs, firstByteAtMs: turn.firstByteAtMs ?? endAtMs, endAtMs, agentHungUp: turn.hungUp });
  }

  private fail(error: CallError): void {
    const turn = this.pending;
    if (!turn) return;
    this.pending = undefined;
    turn.reject(error);
  }
}
