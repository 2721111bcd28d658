/**
 * bench/RESULTS.md, regenerated from bench/results.json on every written run. The
 * hand-written findings in bench/analysis.md (what limits a missed target, from profiles)
 * are embedded as they are.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './loadspec.js';
import { formatNs } from '../suites/hot.js';

const ANALYSIS = path.join(ROOT, 'bench', 'analysis.md');

const fmt = (v, digits = 2) => (v === null || v === undefined || Number.isNaN(v) ? '–' : typeof v === 'number' ? String(Math.round(v * 10 ** digits) / 10 ** digits) : String(v));
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const load = (l) => (l ? `${l.one} / ${l.five} / ${l.fifteen}` : '–');

function suiteHeader(entry) {
  if (!entry) return '_Not run yet._';
  const quick = entry.quick ? ' **(quick mode: small sizes, not the benchmark)**' : '';
  return `_Ran ${entry.ranAt} in ${fmt(entry.durationS, 1)} s; load average (1/5/15 min) ${load(entry.loadAverage?.start)} at its start, ${load(entry.loadAverage?.end)} at its end.${quick}_`;
}

function processCells(r) {
  return [fmt(r.wallS), fmt(r.cpuS), fmt(r.peakRssMiB, 1)];
}

/** The starvation note under a whole-run table. */
function waited(runs) {
  const parts = runs.filter(([, r]) => r?.runQueueWaitS !== undefined).map(([name, r]) => `${name} ${fmt(r.runQueueWaitS, 2)} s (main thread ${fmt(r.mainThreadRunQueueWaitS, 2)} s)`);
  return parts.length ? `Time loadspec's threads (summed) were runnable but waiting for a CPU, held by another of its threads, the target or another process: ${parts.join('; ')}.` : '';
}

function targetsSection(results) {
  const rows = results.targets.map((t) => [
    t.title,
    `${t.better === 'higher' ? '≥' : '≤'} ${t.limit} ${t.unit}`,
    t.measured === null ? '–' : `${fmt(t.measured, 3)} ${t.unit}`,
    t.ratio === null ? '–' : `${fmt(t.ratio, 2)}×`,
    t.met === null ? 'not measured' : t.met ? '**met**' : '**missed**',
  ]);
  return `## Targets\n\nRatio is measured ÷ target (above 1 is better for throughput, below 1 for everything else).\n\n${table(['Target', 'Limit', 'Measured', 'Ratio', ''], rows)}`;
}

function throughputSection(entry) {
  const s = entry?.result;
  const lines = [`### 1. Engine throughput\n\n${suiteHeader(entry)}`];
  if (s) {
    const r = (name, x) => [name, fmt(x.completed, 0), fmt(x.callsSpanS), `**${fmt(x.completedPerSec, 0)}**`, fmt(x.queueWaitMs?.p50), fmt(x.cpuMsPerCallWhileCalling, 3), fmt(x.cpuCoresWhileCalling), fmt(x.cpuBoundCeilingPerSec, 0), ...processCells(x)];
    lines.push(
      `Sim driver, zero latency, ${s.turnsPerCall} turns per call, concurrency ${s.concurrency}. Specs cap pacing at 1000/s, so \`at cap\` is the real CLI at 1000/s and \`burst\` is the same spec through the same loader, reporters, engine, pool and writer (bench/lib/burst-run.js) with every call due at once: there the engine alone sets the pace. The ceiling is ${'`nproc`'} ÷ CPU per call: the rate the same CPU cost would give with every core to loadspec (the busier the machine, the further the measured rate falls below it).`,
      table(['Run', 'Calls', 'First start → last end (s)', 'Completed/s', 'Queue wait p50 (ms)', 'CPU ms/call while calling', 'Cores used while calling', 'Ceiling at that CPU cost (calls/s)', 'Wall (s)', 'CPU (s)', 'Peak RSS (MiB)'], [r('at cap (1000/s, CLI)', s.atCap), r('burst (all due at once)', s.burst)]),
      cpuThreads(s.burst),
      waited([['at cap', s.atCap], ['burst', s.burst]]),
    );
  }
  return lines.filter(Boolean).join('\n\n');
}

function cpuThreads(r) {
  if (!r?.cpuByThread?.length) return '';
  return `CPU by thread in the burst run (s): ${r.cpuByThread.map((t) => `${t.name} ${fmt(t.cpuS)}`).join(', ')}. The main thread runs the ticker, gate, metrics merge, results writer and reports; the worker threads (the largest +N) run the calls; V8's platform threads (small +N) collect garbage and compile.`;
}

function scaleSection(entry) {
  const s = entry?.result;
  const lines = [`### 2. Scale: 10,000 concurrent calls\n\n${suiteHeader(entry)}`];
  if (s) {
    lines.push(
      table(
        ['Calls', 'Call length (s)', 'Peak active', 'Peak RSS (MiB)', 'RSS at first call (MiB)', 'Bytes per active call', 'Live lines', 'Live gap p50 / max (ms)', 'Lines with ≥ 90% active', 'Wall (s)', 'CPU (s)'],
        [[fmt(s.calls, 0), fmt(s.callLengthS, 0), fmt(s.peakActive, 0), `**${fmt(s.peakRssMiB, 1)}**`, fmt(s.rssWhenFirstCallStartedMiB, 1), `**${fmt(s.bytesPerActiveCall, 0)}**`, fmt(s.live?.intervalLines, 0), `${fmt(s.live?.gapMs?.p50, 0)} / ${fmt(s.live?.gapMs?.max, 0)}`, fmt(s.live?.linesWhileAtLeast90PercentActive, 0), fmt(s.wallS), fmt(s.cpuS)]],
      ),
      waited([['the run', s]]),
    );
  }
  return lines.filter(Boolean).join('\n\n');
}

function pacingSection(entry) {
  const s = entry?.result;
  const lines = [`### 3. Pacing accuracy\n\n${suiteHeader(entry)}`];
  if (s) {
    lines.push(
      `Measured at the target: when each call's start request arrived. The ideal schedule is call k due at schedule start + k / rate; lateness is arrival − due, and its median (the hand-off to a worker and the HTTP request, the same for every call) is not drift. Drift is lateness − that median, its largest magnitude over the run; the trend is the last tenth's median lateness minus the first tenth's (does error build up?). "Warm" leaves out the first call on each of the ${s.coldCalls ?? 2} worker threads, which creates the thread's HTTP driver and connection. "Waited for a CPU" is how long loadspec's threads (summed; main thread apart) sat runnable while both cores were taken, by its own other threads, the target or other processes (/proc/<pid>/task/*/schedstat): the main thread, which fires arrivals, waiting is jitter the machine adds.`,
      table(
        ['Rate', 'Calls (arrived)', 'Inter-arrival mean (ms)', 'Inter-arrival sd (ms)', 'Max drift (ms)', 'Drift trend (ms)', 'Lateness p50 / p99 / max (ms)', 'Warm: sd / max drift (ms)', 'Per-second counts', 'Waited for a CPU: all threads / main (s)', 'Wall (s)', 'CPU (s)'],
        s.cases.map((c) => [
          `${c.ratePerSec}/s × ${c.durationS} s`,
          `${c.planned} (${c.arrivedAtTarget})`,
          fmt(c.interArrivalMeanMs, 3),
          `**${fmt(c.interArrivalSdMs, 3)}**`,
          `**${fmt(c.maxCumulativeDriftMs, 3)}**`,
          fmt(c.driftTrendMs, 3),
          `${fmt(c.latenessAtTargetMs?.p50, 3)} / ${fmt(c.latenessAtTargetMs?.p99, 3)} / ${fmt(c.latenessAtTargetMs?.max, 3)}`,
          c.warm ? `${fmt(c.warm.interArrivalSdMs, 3)} / ${fmt(c.warm.maxCumulativeDriftMs, 3)}` : '–',
          perSecond(c.perSecond),
          `${fmt(c.runQueueWaitS, 2)} / ${fmt(c.mainThreadRunQueueWaitS, 2)}`,
          fmt(c.wallS),
          fmt(c.cpuS),
        ]),
      ),
      `Yardstick, a plain one-thread Node pacer (setTimeout then setImmediate, one undici request per due time, no worker hand-off; bench/lib/raw-pace.js) right after, at most 10 s per rate: inter-arrival sd / max drift ${s.cases.map((c) => (c.yardstick?.interArrivalSdMs !== undefined ? `${c.ratePerSec}/s ${fmt(c.yardstick.interArrivalSdMs, 3)} / ${fmt(c.yardstick.maxCumulativeDriftMs, 3)} ms` : `${c.ratePerSec}/s –`)).join('; ')}.`,
      `Inside loadspec (calls.jsonl \`startedAtMs\`, the worker beginning the call, before the request): start lateness p50 / p99 ${s.cases.map((c) => `${c.ratePerSec}/s ${fmt(c.startLatenessInLoadspecMs?.p50, 3)} / ${fmt(c.startLatenessInLoadspecMs?.p99, 3)} ms`).join('; ')}.`,
    );
  }
  return lines.filter(Boolean).join('\n\n');
}

function perSecond(counts) {
  if (!counts?.length) return '–';
  if (counts.length <= 20) return counts.join(' ');
  const full = counts.slice(0, -1);
  return `min ${Math.min(...full)}, max ${Math.max(...full)} over ${full.length} full seconds`;
}

function accuracySection(entry) {
  const s = entry?.result;
  const lines = [`### 4. Measurement accuracy\n\n${suiteHeader(entry)}`];
  if (s) {
    lines.push(
      'The target holds each turn for a fixed delay and measures the hold itself ("true"). Reported is response_time from the run summary (HDR histogram, 3 significant digits); exact is the same percentile of the per-turn responseMs in calls.jsonl. Plain client is the yardstick: one undici request at a time, timed the same way, against the same target (bench/lib/raw-client.js); what it measures above the true delay (loopback, HTTP parsing, event-loop wake-ups) no Node client on this machine gets below.\n',
      table(
        ['Delay', 'Turns', 'True p50 / p99 (ms)', 'Reported p50 / p99 (ms)', 'Reported − true p50 / p99 (ms)', 'Exact − true p50 / p99 (ms)', 'Plain client − true p50 (ms)', 'Connections opened / requests'],
        s.cases.map((c) => [
          `${c.delayMs} ms`,
          fmt(c.turns, 0),
          `${fmt(c.targetHoldMs.p50, 3)} / ${fmt(c.targetHoldMs.p99, 3)}`,
          c.reportedMs ? `${fmt(c.reportedMs.p50, 3)} / ${fmt(c.reportedMs.p99, 3)}` : '–',
          c.reportedMinusTrueMs ? `**${fmt(c.reportedMinusTrueMs.p50, 3)}** / ${fmt(c.reportedMinusTrueMs.p99, 3)}` : '–',
          `${fmt(c.exactMinusTrueMs.p50, 3)} / ${fmt(c.exactMinusTrueMs.p99, 3)}`,
          c.rawClientFloor ? fmt(c.rawClientFloor.clientMinusTrueP50Ms, 3) : '–',
          c.requests ? `${fmt(c.connectionsOpened, 0)} / ${fmt(c.requests, 0)}` : '–',
        ]),
      ),
      waited(s.cases.map((c) => [`${c.delayMs} ms`, c])),
    );
  }
  return lines.filter(Boolean).join('\n\n');
}

function costSection(entry) {
  const s = entry?.result;
  const lines = [`### 5. Cost per call\n\n${suiteHeader(entry)}`];
  if (s) {
    lines.push(
      `3-turn HTTP calls at ${s.ratePerSec}/s, each turn held ${s.turnDelayMs} ms by the target (its own process; its CPU is listed apart: a bare node:http server answering the same requests, a yardstick for what one HTTP request costs on this machine). A call is 5 requests: start, 3 turns, end. Steady is loadspec's CPU from the first call's start to the last call's end over the calls; whole is the process total over the calls.`,
      table(
        ['Calls (passed)', 'Peak active', 'CPU ms/call steady', 'Cores used steady', 'CPU ms/call whole', 'HTTP requests (connections opened)', 'Target CPU ms/request', 'Wall (s)', 'CPU (s)', 'Peak RSS (MiB)'],
        [[`${fmt(s.completed, 0)} (${fmt(s.passed, 0)})`, fmt(s.peakActive, 0), `**${fmt(s.cpuMsPerCallSteady, 3)}**`, fmt(s.cpuCoresSteady, 2), fmt(s.cpuMsPerCallWhole, 3), `${fmt(s.requests, 0)} (${fmt(s.connectionsOpened, 0)})`, s.requests ? fmt((s.targetCpuS * 1000) / s.requests, 3) : '–', ...processCells(s)]],
      ),
      s.cpuByThread?.length ? `CPU by thread (s): ${s.cpuByThread.map((t) => `${t.name} ${fmt(t.cpuS)}`).join(', ')}.` : '',
      waited([['the run', s]]),
      s.transportFloor?.cpuMsPerCall !== undefined
        ? `Transport floor: the same ${fmt(s.transportFloor.calls, 0)} calls (five requests each, same rate and target) by a plain undici client in one thread with nothing else to do (bench/lib/raw-load.js) used **${fmt(s.transportFloor.cpuMsPerCall, 3)} ms CPU per call** (${fmt(s.transportFloor.ok, 0)} completed, ${fmt(s.transportFloor.connectionsOpened, 0)} connections); the target spent ${fmt(s.transportFloor.targetCpuMsPerRequest, 3)} ms per request answering it.`
        : '',
    );
  }
  return lines.filter(Boolean).join('\n\n');
}

function startupSection(entry) {
  const s = entry?.result;
  const lines = [`### 6. Start to first call\n\n${suiteHeader(entry)}`];
  if (s) {
    lines.push(
      `From spawning \`node bin/loadspec.js run\` to the first call's start request reaching the target; ${s.runs} one-call runs.`,
      table(['Median (ms)', 'Min (ms)', 'Max (ms)', 'All (ms)', 'Whole one-call run, median (s)'], [[`**${fmt(s.firstCallAfterSpawnMs.median, 1)}**`, fmt(s.firstCallAfterSpawnMs.min, 1), fmt(s.firstCallAfterSpawnMs.max, 1), s.firstCallAfterSpawnMs.all.join(', '), fmt(s.wholeOneCallRunS.median)]]),
      s.wholeProcessMedianMs
        ? `Whole processes for comparison (median ms, spawn to exit): bare \`node -e ''\` ${fmt(s.wholeProcessMedianMs.nodeBare, 1)}, \`loadspec --version\` ${fmt(s.wholeProcessMedianMs.loadspecVersion, 1)} (every module of the CLI loaded), \`loadspec validate\` ${fmt(s.wholeProcessMedianMs.loadspecValidate, 1)} (and the spec loaded and checked).`
        : '',
    );
  }
  return lines.filter(Boolean).join('\n\n');
}

function hotSection(entry) {
  const s = entry?.result;
  const lines = [`## Hot paths (tinybench)\n\n${suiteHeader(entry)}`];
  if (s) {
    lines.push(
      `Per operation, median and p99 over timed batches (batch size in brackets). Report rendering uses ${s.outcomes.toLocaleString('en')} synthetic 1–3-turn outcomes; ${s.thresholdsPassed} of ${s.thresholds} thresholds pass on them.`,
      table(
        ['Task', 'What', 'Median / op', 'p99 / op', 'Ops/s (median)'],
        s.tasks.map((t) => [`\`${t.name}\``, `${t.what} [${t.batch}]`, `**${formatNs(t.medianNsPerOp)}**`, formatNs(t.p99NsPerOp), fmt(t.opsPerSecMedian, t.opsPerSecMedian < 100 ? 2 : 0)]),
      ),
    );
  }
  return lines.filter(Boolean).join('\n\n');
}

export function renderResultsMarkdown(results) {
  const m = results.machine;
  const full = results.fullRun;
  const analysis = existsSync(ANALYSIS) ? readFileSync(ANALYSIS, 'utf8').trim() : '';
  const errors = Object.entries(results.suites).filter(([, e]) => e.error);
  return `${[
    '# loadspec benchmarks',
    '<!-- Generated by `npm run bench` from bench/results.json; findings come from bench/analysis.md. -->',
    `Reproduce: \`npm ci && npm run bench\` (every suite, under 10 minutes; \`npm run bench -- --only pacing,cost\` runs a subset, \`--quick\` a fast smoke pass that writes nothing). All traffic is on 127.0.0.1; the HTTP target runs in its own process.`,
    `**Machine:** ${m.nproc} cores (\`nproc\`), ${m.cpuModel}, ${fmt(m.memTotalBytes / 2 ** 30, 1)} GiB RAM, Node ${m.node}, ${m.platform}.`,
    full
      ? `**Full run:** started ${full.startedAt}, took ${fmt(full.durationS, 1)} s. Load average (1/5/15 min) ${load(full.loadAverage.start)} at the start, ${load(full.loadAverage.end)} at the end. The load test and its target share this machine, as they would in CI.`
      : '**Full run:** none yet; the tables below come from subset runs.',
    targetsSection(results),
    '## Whole runs',
    'Each run is `node bin/loadspec.js run <generated spec> --out <tmp> --live off|json`, as a user runs it. Wall, CPU (user + system, every thread) and peak RSS come from `/usr/bin/time`; CPU windows from /proc/<pid>/stat sampled every 200 ms.',
    throughputSection(results.suites.throughput),
    scaleSection(results.suites.scale),
    pacingSection(results.suites.pacing),
    accuracySection(results.suites.accuracy),
    costSection(results.suites.cost),
    startupSection(results.suites.startup),
    hotSection(results.suites.hot),
    ...(errors.length ? ['## Suites that failed', ...errors.map(([name, e]) => `- \`${name}\`: ${String(e.error).split('\n')[0]}`)] : []),
    ...(analysis ? [analysis] : []),
  ]
    .filter(Boolean)
    .join('\n\n')}\n`;
}
