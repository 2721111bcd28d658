/**
 * The benchmarks' HTTP target, run in its own process (forked by target.js) so its CPU
 * never counts as loadspec's. It speaks the demo receptionist's HTTP protocol, which is
 * the http driver's default (POST /calls, POST /calls/:id/turns, DELETE /calls/:id), and:
 * - logs the epoch time each call's start request arrived (pacing is judged on these);
 * - answers every turn after a fixed delay, and logs how long it really held each one
 *   (measurement accuracy compares loadspec's response_time with that).
 * With `precise`, the last 2 ms of a hold are spun out with setImmediate so the delay is
 * exact to a few µs; without it a plain setTimeout holds (cheaper with many calls open).
 * Listens on 127.0.0.1 only.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

let turnDelayMs = 0;
let precise = false;
let arrivals = [];
let holdsMs = [];
let nextId = 1;
let turns = 0;
let ends = 0;
let connections = 0;
const open = new Set();

const epochMs = () => performance.timeOrigin + performance.now();

function hold(delayMs, respond) {
  const start = performance.now();
  if (delayMs <= 0) return respond(start);
  if (!precise) return setTimeout(() => respond(start), delayMs);
  const check = () => (performance.now() - start >= delayMs ? respond(start) : setImmediate(check));
  if (delayMs > 2) setTimeout(check, delayMs - 2);
  else setImmediate(check);
}

function json(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  if (req.method === 'POST' && url === '/calls') {
    arrivals.push(epochMs());
    req.resume();
    req.on('end', () => {
      const callId = String(nextId++);
      open.add(callId);
      json(res, 201, { callId });
    });
    return;
  }
  const turn = /^\/calls\/([^/]+)\/turns$/.exec(url);
  if (req.method === 'POST' && turn) {
    hold(turnDelayMs, (start) => {
      req.resume();
      turns++;
      json(res, 200, { reply: 'Thank you, your appointment is confirmed.', hangup: false });
      holdsMs.push(performance.now() - start);
    });
    return;
  }
  const end = /^\/calls\/([^/]+)$/.exec(url);
  if (req.method === 'DELETE' && end) {
    req.resume();
    open.delete(end[1]);
    ends++;
    res.writeHead(204);
    res.end();
    return;
  }
  req.resume();
  json(res, 404, { error: `no route ${req.method} ${url}` });
});
server.on('connection', () => connections++);
server.keepAliveTimeout = 10_000;
server.headersTimeout = 15_000;
server.requestTimeout = 0;

process.on('message', (message) => {
  switch (message.type) {
    case 'configure':
      turnDelayMs = message.turnDelayMs ?? 0;
      precise = message.precise === true;
      arrivals = [];
      holdsMs = [];
      turns = 0;
      ends = 0;
      connections = 0;
      process.send({ type: 'configured' });
      break;
    case 'stats': {
      const cpu = process.cpuUsage();
      process.send({ type: 'stats', arrivals, holdsMs, turns, ends, connections, open: open.size, cpuS: (cpu.user + cpu.system) / 1e6 });
      break;
    }
    case 'stop':
      server.close();
      server.closeAllConnections();
      process.disconnect();
      break;
  }
});

server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port });
});
