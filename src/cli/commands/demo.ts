/**
 * `loadspec demo`: runs the bundled demo receptionist in the foreground, for trying
 * specs by hand or pointing a browser at /stats. Prints its URLs first (the first line
 * names the HTTP URL, for scripts), and stops on Ctrl-C / SIGTERM with its counters.
 */
import { EXIT, LoadspecError } from '../../errors.js';
import { DEMO_DEFAULTS, parseFaultList } from '../../demo/options.js';
import { parseDuration } from '../../spec/units.js';
import type { Command } from '../command.js';

export const demoCommand: Command = {
  name: 'demo',
  usage: 'demo [--host HOST] [--port PORT] [--latency DURATION] [--capacity N] [--faults LIST]',
  summary: 'run the bundled demo receptionist (http and websocket) until Ctrl-C',
  async run({ positionals, flags, io }) {
    if (positionals.length > 0) throw new LoadspecError('LOADSPEC_USAGE', `loadspec demo takes no arguments, not "${positionals.join(' ')}"`);
    let latencyMs = DEMO_DEFAULTS.latencyMs;
    if (flags.latency !== undefined) {
      const parsed = parseDuration(flags.latency);
      if (!parsed.ok) throw new LoadspecError('LOADSPEC_USAGE', `--latency: ${parsed.error}`);
      latencyMs = parsed.value;
    }
    const capacity = flags.capacity === undefined ? DEMO_DEFAULTS.capacity : Number(flags.capacity);
    if (!(capacity >= 1)) throw new LoadspecError('LOADSPEC_USAGE', `--capacity must be at least 1, not ${capacity}`);
    const port = flags.port === undefined ? 0 : Number(flags.port);
    if (!(port >= 0 && port <= 65_535)) throw new LoadspecError('LOADSPEC_USAGE', `--port must be 0..65535, not ${port}`);
    const faults = typeof flags.faults === 'string' ? parseFaultList(flags.faults) : {};
    const host = typeof flags.host === 'string' ? flags.host : DEMO_DEFAULTS.host;
    // Jitter scales with the latency so `--latency 2s` does not mean 2s ± 50ms.
    const jitterMs = Math.round(latencyMs / 4);

    let server;
    try {
      // Loaded here, not at start-up: every other command would pay for the WebSocket server.
      const { startDemoServer } = await import('../../demo/server.js');
      server = await startDemoServer({ host, port, latencyMs, jitterMs, capacity, faults });
    } catch (error) {
      // The code's own hint ("run `loadspec demo` to see why") is circular here.
      const code = (error as { code?: unknown }).code;
      const hint = code === 'EADDRINUSE' ? 'another process has that port; choose another --port, or --port 0 for a free one' : code === 'EACCES' ? 'ports below 1024 need privileges; choose --port 1024 or above' : 'choose another --port or --host';
      throw new LoadspecError('LOADSPEC_DEMO_START_FAILED', `the demo receptionist could not listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`, { cause: error, hint });
    }
    // Listen for the stop signal before the banner: a script may send it as soon as it reads
    // the banner, and a signal with no listener yet would kill the process mid-way.
    const stopped = new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    const faultText = Object.entries(faults).map(([name, rate]) => `${name} ${Math.round(rate * 10_000) / 100}%`).join(', ') || 'none';
    io.stdout.write(
      `demo receptionist listening on ${server.url}\n` +
        `  http       ${server.url}  (POST /calls, POST /calls/:id/turns, DELETE /calls/:id, GET /stats)\n` +
        `  websocket  ${server.wsUrl}\n` +
        `  latency ${latencyMs}ms ±${jitterMs}ms, capacity ${capacity}, faults: ${faultText}\n` +
        'Ctrl-C stops it.\n',
    );
    await stopped;
    const stats = server.stats();
    await server.close();
    io.stdout.write(`demo receptionist stopped: ${stats.callsBegun} calls begun, ${stats.callsEnded} ended, ${stats.turns} turns\n`);
    return EXIT.passed;
  },
};
