/**
 * Starts the demo receptionist in a child process (main.ts) and reads its URLs from the
 * first line it prints. A process of its own keeps the demo's work off the runner's event
 * loop, and makes it a separate server in the same way a user's receptionist is.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LoadspecError } from '../errors.js';
import type { DemoStats } from './agent.js';
import type { DemoOptions } from './options.js';

export interface DemoProcess {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  /** Stops the demo; resolves with its final counters when it printed them. */
  stop(): Promise<DemoStats | undefined>;
}

const START_LIMIT_MS = 15_000;
const STOP_LIMIT_MS = 5_000;

/** dist/demo/main.js: next to this file once compiled, or under the package root in tests run from src/. */
export function demoEntry(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sibling = path.join(here, 'main.js');
  if (existsSync(sibling)) return sibling;
  let dir = here;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'dist', 'demo', 'main.js');
}

export async function launchDemoProcess(options: Partial<DemoOptions>, entry = demoEntry()): Promise<DemoProcess> {
  const fail = (why: string): LoadspecError => new LoadspecError('LOADSPEC_DEMO_START_FAILED', `the demo receptionist did not start: ${why}`);
  if (!existsSync(entry)) throw fail(`${entry} is missing (build loadspec with \`npm run build\`)`);
  // A process group of its own: Ctrl-C in the terminal goes to the runner, which hangs up
  // its calls first and then stops the demo. If the runner dies, the demo's stdin closes
  // and it exits by itself.
  const child = spawn(process.execPath, [entry, JSON.stringify({ host: '127.0.0.1', port: 0, ...options })], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2_000)));
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const iterator = lines[Symbol.asyncIterator]();

  let timer: NodeJS.Timeout | undefined;
  const first = await Promise.race([
    iterator.next().then((line) => (line.done ? undefined : line.value)),
    exited.then(() => undefined),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), START_LIMIT_MS))),
  ]).catch(() => undefined);
  clearTimeout(timer);
  let ready: { url: string; wsUrl: string; port: number } | undefined;
  try {
    ready = first === undefined || first === 'timeout' ? undefined : (JSON.parse(first) as typeof ready);
  } catch {
    ready = undefined;
  }
  if (!ready?.url) {
    child.kill('SIGKILL');
    const why = first === 'timeout' ? `no answer within ${START_LIMIT_MS / 1000}s` : stderr.trim() || `it printed ${JSON.stringify(first ?? '')}`;
    throw fail(why);
  }

  let stopping: Promise<DemoStats | undefined> | undefined;
  return {
    url: ready.url,
    wsUrl: ready.wsUrl,
    port: ready.port,
    stop() {
      stopping ??= (async () => {
        const last = iterator.next().then((line) => (line.done ? undefined : line.value));
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), STOP_LIMIT_MS);
        await exited;
        clearTimeout(kill);
        const line = await Promise.race([last, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100))]);
        lines.close();
        try {
          return line ? (JSON.parse(line) as { stats?: DemoStats }).stats : undefined;
        } catch {
          return undefined;
        }
      })();
      return stopping;
    },
  };
}
