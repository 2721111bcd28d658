/** Starts and drives the HTTP target process (target-server.js) over its IPC channel. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./target-server.js', import.meta.url));

export async function startTarget() {
  // No inherited execArgv: the target must not run under the harness's profiler or flags.
  const child = fork(SERVER, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters = [];
  child.on('message', (message) => {
    const at = waiters.findIndex((w) => w.type === message.type);
    if (at >= 0) waiters.splice(at, 1)[0].resolve(message);
  });
  const next = (type) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench target did not answer ${type}`)), 15_000);
      waiters.push({ type, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  const ready = await next('ready');
  const url = `http://127.0.0.1:${ready.port}`;
  return {
    url,
    pid: child.pid,
    /** Sets the turn delay and clears the logs. */
    async configure({ turnDelayMs = 0, precise = false } = {}) {
      const answer = next('configured');
      child.send({ type: 'configure', turnDelayMs, precise });
      await answer;
    },
    /** Arrival times (epoch ms) of start requests, turn hold times (ms), the target's CPU seconds. */
    async stats() {
      const answer = next('stats');
      child.send({ type: 'stats' });
      return answer;
    },
    async stop() {
      if (!child.connected) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
