/** Runs `loadspec run` through the real CLI (bin/loadspec.js on dist/), measured from outside. */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawnMeasured } from './proc.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'loadspec.js');
const BURST = path.join(ROOT, 'bench', 'lib', 'burst-run.js');

/**
 * `burstRatePerSec` runs bench/lib/burst-run.js instead of the CLI: the same run with the
 * arrival rate lifted past the spec's cap.
 * @param {{ spec: string, out: string, live?: 'off' | 'json', args?: string[], onLine?: (line: string, atMs: number) => void, timeoutMs?: number, nodeArgs?: string[], burstRatePerSec?: number }} o
 */
export function runLoadspec(o) {
  const live = o.live ?? 'off';
  const intervals = [];
  let end;
  const command = o.burstRatePerSec ? [BURST, o.spec, o.out, String(o.burstRatePerSec)] : [BIN, 'run', o.spec, '--out', o.out, '--live', live, ...(o.args ?? [])];
  const handle = spawnMeasured([process.execPath, ...(o.nodeArgs ?? []), ...command], {
    cwd: path.dirname(o.spec),
    timeoutMs: o.timeoutMs ?? 5 * 60_000,
    onLine: (line, atMs) => {
      if (live === 'json' && line.startsWith('{')) {
        try {
          const event = JSON.parse(line);
          if (event.type === 'interval') intervals.push({ receivedAtMs: atMs, ...event });
          else if (event.type === 'end') end = event;
        } catch {
          // a line that is not JSON is not an interval
        }
      }
      o.onLine?.(line, atMs);
    },
  });
  return { ...handle, intervals, done: handle.done.then((r) => ({ ...r, intervals, end })) };
}

/** Streams calls.jsonl, calling `each` with every outcome. */
export async function forEachOutcome(outDir, each) {
  const lines = createInterface({ input: createReadStream(path.join(outDir, 'calls.jsonl')), crlfDelay: Infinity });
  let count = 0;
  for await (const line of lines) {
    if (!line) continue;
    each(JSON.parse(line));
    count++;
  }
  return count;
}

/** The measured process's figures every whole-run suite reports. */
export function processFigures(r, { threads = false } = {}) {
  return {
    exitCode: r.exitCode,
    wallS: round(r.wallS),
    cpuS: round(r.cpuS),
    userS: round(r.userS),
    sysS: round(r.sysS),
    peakRssMiB: round(r.maxRssBytes / 2 ** 20, 1),
    measuredBy: r.measuredBy,
    // 0 passed, 1 thresholds failed (the bench specs have none): anything else is worth reading.
    ...(r.exitCode !== 0 && r.exitCode !== 1 ? { stderrTail: r.stderr.slice(-1500) } : {}),
    // Time loadspec's threads were runnable but waited for a CPU (summed over its threads).
    runQueueWaitS: round(r.runQueueWaitS ?? 0),
    mainThreadRunQueueWaitS: round(r.threads?.find((t) => t.main)?.runQueueWaitS ?? 0),
    ...(threads && r.threads?.length ? { cpuByThread: r.threads.map((t) => ({ name: t.label, cpuS: t.cpuS })) } : {}),
  };
}

function round(v, d = 3) {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}
