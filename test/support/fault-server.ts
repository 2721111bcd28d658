/**
 * A receptionist that misbehaves on purpose, on 127.0.0.1 port 0: the demo's HTTP and
 * WebSocket protocols, but each call start, turn or upgrade answers the way the test says
 * (a status, a reset, a hang, garbage, a huge reply, a close mid-turn). It counts the calls
 * it saw begin and end, so tests can prove a failed call was still hung up.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

export type Behaviour =
  | 'ok'
  | 'hang'
  | 'reset'
  | 'reset-mid-stream'
  | 'garbage'
  | 'huge'
  | 'close'
  /** A plain-text reply streamed in pieces over chunked encoding. */
  | 'text'
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>> }
  | { readonly closeCode: number }
  /** Answer as `ok` does, after this long. */
  | { readonly delayMs: number };

/** A fixed behaviour, or one chosen by the 1-based count of requests of that kind so far. */
export type Script = Behaviour | ((count: number) => Behaviour);

export interface FaultServerOptions {
  readonly start?: Script;
  readonly turn?: Script;
  /** WebSocket handshakes. */
  readonly upgrade?: Script;
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly hugeBytes?: number;
}

export interface FaultServer {
  readonly url: string;
  readonly wsUrl: string;
  /** `connections`: TCP connections accepted, to see keep-alive at work. */
  readonly counts: { starts: number; turns: number; upgrades: number; begun: number; ended: number; connections: number };
  close(): Promise<void>;
}

function pick(script: Script | undefined, count: number): Behaviour {
  if (script === undefined) return 'ok';
  return typeof script === 'function' ? script(count) : script;
}

export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const counts = { starts: 0, turns: 0, upgrades: 0, begun: 0, ended: 0, connections: 0 };
  const open = new Set<string>();
  const hugeText = 'x'.repeat(options.hugeBytes ?? 256 * 1024);
  let nextId = 0;

  const end = (id: string): boolean => {
    if (!open.delete(id)) return false;
    counts.ended++;
    return true;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    for await (const _chunk of request) {
      // drain the body; the fault server does not care what the caller said
    }
    const parts = new URL(request.url ?? '/', 'http://x').pathname.split('/').filter(Boolean);
    if (request.method === 'POST' && parts.length === 1 && parts[0] === 'calls') {
      const behaviour = pick(options.start, ++counts.starts);
      if (typeof behaviour === 'object' && 'delayMs' in behaviour) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      if (behaviour === 'ok' || (typeof behaviour === 'object' && 'delayMs' in behaviour)) {
        const id = `f-${++nextId}`;
        open.add(id);
        counts.begun++;
        return send(response, 201, { callId: id, greeting: 'hello' });
      }
      return misbehave(behaviour, request, response, hugeText);
    }
    if (request.method === 'POST' && parts.length === 3 && parts[2] === 'turns') {
      if (!open.has(parts[1] ?? '')) return send(response, 404, { error: 'no such call' });
      const behaviour = pick(options.turn, ++counts.turns);
      if (behaviour === 'ok') return send(response, 200, { reply: 'fine', hangup: false });
      return misbehave(behaviour, request, response, hugeText);
    }
    if (request.method === 'DELETE' && parts.length === 2) {
      return end(parts[1] ?? '') ? void response.writeHead(204).end() : send(response, 404, { error: 'no such call' });
    }
    send(response, 404, { error: 'no route' });
  };

  const server: Server = options.tls ? createHttpsServer(options.tls, (q, s) => void handle(q, s)) : createHttpServer((q, s) => void handle(q, s));
  const sockets = new Set<Socket>();
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    counts.connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const behaviour = pick(options.upgrade, ++counts.upgrades);
    if (behaviour === 'hang') return;
    if (typeof behaviour === 'object' && 'status' in behaviour) {
      const headers = Object.entries(behaviour.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.end(`HTTP/1.1 ${behaviour.status} Nope\r\n${headers}content-length: 0\r\nconnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const id = `w-${++nextId}`;
      open.add(id);
      counts.begun++;
      ws.on('close', () => end(id));
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { type: string };
        if (message.type !== 'say') return;
        const turn = pick(options.turn, ++counts.turns);
        wsMisbehave(turn, ws, hugeText);
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    wsUrl: `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}/ws`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function misbehave(behaviour: Behaviour, request: IncomingMessage, response: ServerResponse, hugeText: string): void {
  if (typeof behaviour === 'object') {
    if ('status' in behaviour) return send(response, behaviour.status, { error: 'scripted' }, behaviour.headers);
    if ('delayMs' in behaviour) return void setTimeout(() => send(response, 200, { reply: 'fine', hangup: false }), behaviour.delayMs);
    return send(response, 500, { error: 'closeCode is a WebSocket behaviour' });
  }
  switch (behaviour) {
    case 'hang':
      return;
    case 'reset':
      request.socket.resetAndDestroy();
      return;
    case 'reset-mid-stream':
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {"delta":"Let me "}\n\n');
      setTimeout(() => request.socket.destroy(), 20);
      return;
    case 'garbage':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"reply": "Sure, let me che');
      return;
    case 'huge':
      return send(response, 200, { reply: hugeText, hangup: false });
    case 'text':
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      response.write('We are open ');
      setTimeout(() => response.end('until 6 pm.'), 30);
      return;
    case 'close':
    case 'ok':
      return send(response, 200, { reply: 'fine', hangup: false });
  }
}

function wsMisbehave(behaviour: Behaviour, ws: WebSocket, hugeText: string): void {
  if (typeof behaviour === 'object') {
    if ('closeCode' in behaviour) ws.close(behaviour.closeCode, 'scripted');
    if ('delayMs' in behaviour) setTimeout(() => wsMisbehave('ok', ws, hugeText), behaviour.delayMs);
    return;
  }
  switch (behaviour) {
    case 'ok':
      ws.send(JSON.stringify({ type: 'reply', text: 'fine', done: true }));
      return;
    case 'hang':
      return;
    case 'text':
      ws.send('We are open until 6 pm.');
      return;
    case 'reset':
    case 'reset-mid-stream':
      ws.send(JSON.stringify({ type: 'reply', text: 'Let me ', done: false }));
      setTimeout(() => ws.terminate(), 20);
      return;
    case 'close':
      ws.send(JSON.stringify({ type: 'reply', text: 'Let me ', done: false }));
      ws.close(1000, 'bye');
      return;
    case 'garbage':
      ws.send('{"type": "reply", "text": "Sure, let me che');
      return;
    case 'huge':
      ws.send(JSON.stringify({ type: 'reply', text: hugeText, done: true }));
      return;
  }
}

function send(response: ServerResponse, status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}
