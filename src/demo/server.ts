/**
 * The demo receptionist: one HTTP server that speaks both the http protocol (http-routes.ts)
 * and, at /ws, the websocket protocol (ws-routes.ts), with a scripted clinic dialogue,
 * latency, capacity and seeded fault injection. Tests start it in-process; `loadspec demo`
 * and `url: builtin` runs start it in a process of its own (main.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { DemoAgent, type DemoStats } from './agent.js';
import { handleHttp } from './http-routes.js';
import { demoOptions, type DemoOptions } from './options.js';
import { handleSocket } from './ws-routes.js';

export interface DemoServer {
  /** http://host:port — the base URL of the http protocol. */
  readonly url: string;
  /** ws://host:port/ws — the websocket protocol. */
  readonly wsUrl: string;
  readonly port: number;
  readonly options: DemoOptions;
  stats(): DemoStats;
  /** Stops listening and cuts every open connection (hung turns included). */
  close(): Promise<void>;
}

export async function startDemoServer(overrides: Partial<DemoOptions> = {}): Promise<DemoServer> {
  const options = demoOptions(overrides);
  const agent = new DemoAgent(options);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const server: Server = createServer((request, response) => {
    void handleHttp(agent, request, response);
  });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://demo').pathname !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => handleSocket(agent, ws, request));
  });
  // Many callers at once: the default backlog would refuse connections at a burst.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port, backlog: 2048 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}/ws`,
    port,
    options,
    stats: () => agent.stats(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
