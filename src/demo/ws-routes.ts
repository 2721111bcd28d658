/**
 * The demo receptionist over WebSocket (path /ws, one socket per call; the websocket
 * driver's defaults speak it):
 *
 *   caller → {"type": "say", "text": "..."}
 *   agent  → {"type": "reply", "text": "...", "done": false} ... then a last message with
 *            "done": true (and "hangup": true when the agent ends the call, then it closes)
 *   caller → {"type": "hangup"}, then closes
 *
 * Faults: http_5xx closes with 1011, rate_limited with 1013, drop cuts the connection after
 * a first piece, hang never answers, garbage sends a message that is not JSON.
 */
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { replyPieces, sleep, type DemoAgent, type TurnOutcome } from './agent.js';

export function handleSocket(agent: DemoAgent, socket: WebSocket, request: IncomingMessage): void {
  const query = new URL(request.url ?? '/ws', 'http://demo').searchParams;
  const call = agent.begin({ scenario: query.get('scenario') ?? '', variant: query.get('variant') ?? '', caller: query.get('caller') ?? '' });
  const gone = new AbortController();
  // Turns of one call are answered in order, one at a time.
  let queue: Promise<void> = Promise.resolve();

  socket.on('message', (data) => {
    let message: { type?: unknown; text?: unknown };
    try {
      message = JSON.parse(data.toString()) as typeof message;
    } catch {
      send(socket, { type: 'error', message: 'messages must be JSON' });
      return;
    }
    if (message.type === 'hangup') {
      agent.end(call, true);
      socket.close(1000, 'caller hung up');
      return;
    }
    if (message.type !== 'say' || typeof message.text !== 'string') {
      send(socket, { type: 'error', message: 'send {"type":"say","text":"..."} or {"type":"hangup"}' });
      return;
    }
    const text = message.text;
    queue = queue
      .then(async () => {
        if (call.ended) return;
        const outcome = await agent.turn(call, text, gone.signal);
        await answer(agent, socket, outcome, gone.signal);
      })
      .catch(() => undefined);
  });
  socket.on('close', () => {
    gone.abort(new Error('the caller went away'));
    agent.end(call, true);
  });
  socket.on('error', () => socket.terminate());
}

async function answer(agent: DemoAgent, socket: WebSocket, outcome: TurnOutcome, signal: AbortSignal): Promise<void> {
  if (outcome.kind === 'fault') {
    switch (outcome.fault) {
      case 'http_5xx':
        socket.close(1011, 'the model backend failed');
        return;
      case 'rate_limited':
        socket.close(1013, 'try again later');
        return;
      case 'drop':
        send(socket, { type: 'reply', text: 'Let me ', done: false });
        await sleep(agent.options.streamGapMs, signal);
        socket.terminate();
        return;
      case 'hang':
        return;
      case 'garbage':
        if (socket.readyState === WebSocket.OPEN) socket.send('{"type": "reply", "text": "Sure, let me che');
        return;
    }
  }
  const pieces = replyPieces(outcome.text);
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) await sleep(agent.options.streamGapMs, signal);
    const last = i === pieces.length - 1;
    send(socket, last ? { type: 'reply', text: piece, done: true, hangup: outcome.hangup } : { type: 'reply', text: piece, done: false });
  }
  if (outcome.hangup) socket.close(1000, 'agent hung up');
}

function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}
