/**
 * Runs a command the way a user would and measures it from the outside:
 * - totals (wall, user and system CPU, peak RSS) from `/usr/bin/time`, which reads the
 *   rusage of the process it waited for. loadspec's worker pool is threads in one process,
 *   so that process's rusage covers every thread;
 * - a time series of CPU seconds and RSS from /proc/<pid>/stat, so a suite can take the
 *   CPU of a steady window without start-up and shutdown in it.
 * Every line of stdout is handed to `onLine` with the epoch ms it arrived at.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const TIME = '/usr/bin/time';
const CLK_TCK = 100;
const PAGE_BYTES = 4096;

/** Epoch ms with sub-ms precision, comparable across processes on this machine. */
export function epochMs() {
  return performance.timeOrigin + performance.now();
}

/** CPU seconds (all threads) and RSS of a live process, or undefined once it is gone. */
export function readProcStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime 15, rss 24.
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { cpuS: (utime + stime) / CLK_TCK, userS: utime / CLK_TCK, sysS: stime / CLK_TCK, rssBytes: rssPages * PAGE_BYTES };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds per thread of a live process, by thread id, with the thread's name and how
 * long it sat runnable waiting for a CPU (another thread or process had it).
 */
export function readThreadStats(pid) {
  const out = new Map();
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // schedstat: ns on a CPU, ns runnable but waiting for one, timeslices.
      const waitNs = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]);
      out.set(Number(tid), { name, cpuS: (Number(fields[11]) + Number(fields[12])) / CLK_TCK, runQueueWaitS: Number.isFinite(waitNs) ? waitNs / 1e9 : 0 });
    } catch {
      // the thread ended between listing and reading
    }
  }
  return out;
}

function childPidOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text ? Number(text.split(/\s+/)[0]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param {string[]} argv command and arguments
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, onLine?: (line: string, atMs: number) => void, sampleMs?: number, timeoutMs?: number }} o
 */
export function spawnMeasured(argv, o = {}) {
  const useTime = existsSync(TIME);
  const scratch = mkdtempSync(path.join(tmpdir(), 'loadspec-bench-time-'));
  const timeFile = path.join(scratch, 'time.txt');
  const full = useTime ? [TIME, '-f', '%e %U %S %M', '-o', timeFile, ...argv] : argv;
  const samples = [];
  /** Last CPU seen per thread (threads that end keep their last reading). */
  const threads = new Map();
  let stdoutTail = '';
  let stderr = '';
  const spawnAtMs = epochMs();
  const child = spawn(full[0], full.slice(1), { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let pid = useTime ? undefined : child.pid;
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    const atMs = epochMs();
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      stdoutTail = (stdoutTail + line + '\n').slice(-4000);
      o.onLine?.(line, atMs);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-8000)));
  const sampler = setInterval(() => {
    pid ??= childPidOf(child.pid);
    if (pid === undefined) return;
    const s = readProcStat(pid);
    if (s) samples.push({ atMs: epochMs(), ...s });
    for (const [tid, t] of readThreadStats(pid)) threads.set(tid, t);
  }, o.sampleMs ?? 200);
  const killer = o.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), o.timeoutMs) : undefined;
  return {
    child,
    spawnAtMs,
    /** The measured process's pid once known (node itself, not /usr/bin/time). */
    get pid() {
      return pid ?? childPidOf(child.pid);
    },
    done: new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearInterval(sampler);
        if (killer) clearTimeout(killer);
        const endAtMs = epochMs();
        let totals = { wallS: (endAtMs - spawnAtMs) / 1000, userS: NaN, sysS: NaN, maxRssBytes: NaN };
        if (useTime && existsSync(timeFile)) {
          const text = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
          const [wall, user, sys, rssKb] = text.split(/\s+/).map(Number);
          if (Number.isFinite(user)) totals = { wallS: wall, userS: user, sysS: sys, maxRssBytes: rssKb * 1024 };
        } else if (samples.length > 0) {
          const last = samples.at(-1);
          totals = { ...totals, userS: last.userS, sysS: last.sysS, maxRssBytes: Math.max(...samples.map((s) => s.rssBytes)) };
        }
        rmSync(scratch, { recursive: true, force: true });
        resolve({
          exitCode: code,
          signal,
          spawnAtMs,
          endAtMs,
          ...totals,
          cpuS: totals.userS + totals.sysS,
          samples,
          threads: threadTotals(threads),
          runQueueWaitS: [...threads.values()].reduce((sum, t) => sum + t.runQueueWaitS, 0),
          stdoutTail,
          stderr,
          measuredBy: useTime ? TIME : '/proc sampling',
        });
      });
    }),
  };
}

/** CPU seconds the process used between two epoch times, from the /proc samples nearest inside. */
export function cpuBetween(samples, fromMs, toMs) {
  const inside = samples.filter((s) => s.atMs >= fromMs && s.atMs <= toMs);
  if (inside.length < 2) return undefined;
  const a = inside[0];
  const b = inside.at(-1);
  return { cpuS: b.cpuS - a.cpuS, wallS: (b.atMs - a.atMs) / 1000 };
}

/**
 * CPU seconds by thread, the main thread first (its tid is the pid, the smallest), then
 * the busiest; threads that used under 10 ms are left out. A label's +N is the thread's
 * tid minus the pid: V8's platform threads start right after the main thread, worker
 * threads (started later) have larger offsets. Readings end at the last sample, so they
 * slightly undercount the process total.
 */
function threadTotals(threads) {
  const list = [...threads].map(([tid, t]) => ({ tid, name: t.name, cpuS: Math.round(t.cpuS * 100) / 100, runQueueWaitS: Math.round(t.runQueueWaitS * 1000) / 1000 }));
  if (list.length === 0) return [];
  const mainTid = Math.min(...list.map((t) => t.tid));
  return list
    .filter((t) => t.tid === mainTid || t.cpuS >= 0.01)
    .sort((a, b) => (a.tid === mainTid ? -1 : b.tid === mainTid ? 1 : b.cpuS - a.cpuS))
    .map((t) => ({ ...t, main: t.tid === mainTid, label: t.tid === mainTid ? 'main' : `${t.name} +${t.tid - mainTid}` }));
}
