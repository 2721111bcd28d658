/**
 * Warms a worker thread's HTTP client before the run's clock starts. undici compiles its
 * HTTP parser and the JIT compiles its request path on the first request of a thread,
 * which made the first call on each thread ~15 ms late at the target (measured: first
 * request ~17 ms, the next ~1 ms, a new connection once warm ~2 ms). One request to a
 * throwaway server of our own on 127.0.0.1 pays that before the clock starts; the target
 * itself is never contacted.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';

/** Warm-up never holds a worker back longer than this. */
const WARM_LIMIT_MS = 2_000;

export async function warmHttpClient(): Promise<void> {
  const server = createServer((request, response) => {
    request.resume();
    response.setHeader('content-type', 'application/json');
    response.end('{"ok":true}');
  });
  const agent = new Agent({ keepAliveTimeout: 1_000 });
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const warm = (async () => {
      const response = await agent.request({ origin: `http://127.0.0.1:${port}`, path: '/', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      await response.body.json();
    })();
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, WARM_LIMIT_MS);
    });
    await Promise.race([warm, limit]);
  } catch {
    // Warming is an optimisation: a thread that cannot warm up runs cold.
  } finally {
    clearTimeout(timer);
    await agent.destroy().catch(() => undefined);
    server.closeAllConnections();
    server.close();
  }
}
