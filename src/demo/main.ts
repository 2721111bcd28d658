/**
 * The demo receptionist as a process of its own: `node dist/demo/main.js '<options JSON>'`.
 * The runner starts it for `url: builtin` so the demo's event loop never competes with the
 * main thread that paces the calls. Its first stdout line is JSON with the URLs; it stops on
 * SIGTERM / SIGINT, or when its stdin closes (the runner died without stopping it).
 */
import { startDemoServer } from './server.js';
import type { DemoOptions } from './options.js';

async function main(): Promise<void> {
  const overrides = JSON.parse(process.argv[2] ?? '{}') as Partial<DemoOptions>;
  const server = await startDemoServer(overrides);
  process.stdout.write(`${JSON.stringify({ url: server.url, wsUrl: server.wsUrl, port: server.port })}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const stats = server.stats();
    void server.close().then(() => {
      process.stdout.write(`${JSON.stringify({ stats })}\n`);
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`demo receptionist failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
