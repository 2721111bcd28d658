/**
 * Hot paths, with tinybench, on the compiled code in dist/. Each task times a batch of
 * `batch` operations (one timer read per batch, so sub-µs operations are not swamped by
 * the timer) and reports the median and p99 over batches, per operation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Bench } from 'tinybench';
import { arrivalOffsets } from '../../dist/schedule/arrivals.js';
import { createPlan } from '../../dist/plan/plan.js';
import { renderTemplate } from '../../dist/persona/template.js';
import { WorkerMetrics } from '../../dist/metrics/worker-metrics.js';
import { RunMetrics } from '../../dist/metrics/run-metrics.js';
import { decodeHistogram, encodeHistogram, newHistogram, toMicros } from '../../dist/metrics/histogram.js';
import { summarizeOutcomes } from '../../dist/metrics/replay.js';
import { ResultsWriter } from '../../dist/results/writer.js';
import { evaluateThresholds } from '../../dist/thresholds/evaluate.js';
import { renderReport } from '../../dist/report/html/reporter.js';
import { renderSummaryJson } from '../../dist/report/json.js';
import { junitCall, renderJunit } from '../../dist/report/junit.js';
import { hotSpec, syntheticOutcomes } from '../lib/fixtures.js';
import { round } from '../lib/stats.js';

const RUN_START_MS = 1_800_000_000_000;
const INTERVAL_MS = 1000;

function withPhases(spec, phases, arrivals) {
  return { ...spec, load: { ...spec.load, calls: 1_000_000, phases, arrivals } };
}

/** A new generator per batch: `batch` arrivals from the start of a long plan. */
function arrivalsTask(load, batch) {
  return () => {
    let n = 0;
    for (const _ of arrivalOffsets(load)) if (++n >= batch) break;
  };
}

export async function hotSuite(ctx) {
  const quick = ctx.quick === true;
  const spec = await hotSpec();
  const big = quick ? 10_000 : 100_000;
  ctx.log(`hot: building ${big} synthetic outcomes`);
  const outcomes = syntheticOutcomes(big);
  const small = outcomes.slice(0, 1000);
  const replay = { spec, runStartMs: RUN_START_MS, intervalMs: INTERVAL_MS, planned: big };
  const run = { id: 'bench', loadspecVersion: 'bench', startedAt: new Date(RUN_START_MS).toISOString(), endedAt: new Date(RUN_START_MS + big * 5).toISOString(), durationMs: big * 5, settings: {} };
  const bigSummary = summarizeOutcomes(outcomes, replay).summary({ verdict: 'passed', thresholds: [], run });
  const verdicts = evaluateThresholds(spec.thresholds, bigSummary);
  const summaryWithVerdicts = { ...bigSummary, thresholds: verdicts };
  const junitCalls = outcomes.map(junitCall);
  const failed = outcomes.filter((o) => o.status !== 'passed').slice(0, spec.report.sampleTranscripts);

  // Deltas as one worker ships them after 1000 calls over ~5 s of run time.
  const recordInto = (wm, list) => {
    for (const o of list) {
      const cut = { scenario: o.scenario, variant: o.variant, persona: {} };
      wm.callStarted(cut, o.startedAtMs, o.queueWaitMs);
      for (const t of o.turns) wm.turnEnded(cut, t);
      wm.callEnded(o);
    }
  };
  const shippedDeltas = (() => {
    const wm = new WorkerMetrics({ runStartMs: RUN_START_MS, intervalMs: INTERVAL_MS });
    recordInto(wm, small);
    return wm.drain(true);
  })();
  const h1000 = newHistogram();
  for (const o of small) for (const t of o.turns) h1000.recordValue(toMicros(t.responseMs));
  const encoded = encodeHistogram(h1000);
  const outDir = mkdtempSync(path.join(tmpdir(), 'loadspec-bench-writer-'));
  const writer = new ResultsWriter(outDir);
  writer.onBegin({ runId: 'bench', spec, outDir, startedAtMs: RUN_START_MS, intervalMs: INTERVAL_MS, threads: 2, settings: {} });
  const tmplContext = { persona: { firstName: 'Maria', lastName: 'Garcia', dob: '1962-03-14', medication: 'metformin' }, scenario: 'scheduling', variant: 'prompt-v1', turn: 0, call: { id: 'c-000042', index: 42 } };
  const line = spec.scenarios[0].turns[0].say;

  const tasks = [
    { name: 'arrivals.uniform', what: 'next arrival time (uniform)', batch: 10_000, fn: arrivalsTask(withPhases(spec, [{ durationMs: 3_600_000, ratePerSec: 300, rampToPerSec: 300, name: 'c' }], 'uniform').load, 10_000) },
    { name: 'arrivals.ramp', what: 'next arrival time (ramp 1/s to 1000/s)', batch: 10_000, fn: arrivalsTask(withPhases(spec, [{ durationMs: 60_000, ratePerSec: 1, rampToPerSec: 1000, name: 'r' }, { durationMs: 3_600_000, ratePerSec: 1000, rampToPerSec: 1000, name: 'h' }], 'uniform').load, 10_000) },
    { name: 'arrivals.poisson', what: 'next arrival time (poisson)', batch: 10_000, fn: arrivalsTask(withPhases(spec, [{ durationMs: 3_600_000, ratePerSec: 300, rampToPerSec: 300, name: 'c' }], 'poisson').load, 10_000) },
    { name: 'template.render', what: 'render a caller line (cached template)', batch: 1_000, fn: () => { for (let i = 0; i < 1000; i++) renderTemplate(line, tmplContext); } },
    { name: 'plan.job', what: 'planned call: persona (5 fields, patience) + mix + due time', batch: 1_000, fn: () => { let n = 0; for (const _ of createPlan(spec)) if (++n >= 1000) break; } },
    { name: 'metrics.record', what: 'WorkerMetrics: record a 3-turn call (start, turns, end)', batch: 1_000, fn: () => recordInto(new WorkerMetrics({ runStartMs: RUN_START_MS, intervalMs: INTERVAL_MS }), small) },
    { name: 'metrics.drain', what: 'WorkerMetrics.drain after 1000 calls (encode every interval)', batch: 1, fn: () => {
      const wm = new WorkerMetrics({ runStartMs: RUN_START_MS, intervalMs: INTERVAL_MS });
      recordInto(wm, small);
      wm.drain(true);
    } },
    { name: 'metrics.merge', what: `RunMetrics.merge of one worker's deltas for 1000 calls (${shippedDeltas.length} intervals)`, batch: 1, fn: () => new RunMetrics({ spec, runStartMs: RUN_START_MS, intervalMs: INTERVAL_MS, planned: 1000, sampleResources: false }).merge({ threadId: 1, intervals: shippedDeltas }) },
    { name: 'snapshot.encode', what: `compress a histogram of 1000 response times (${encoded.length} base64 chars)`, batch: 1, fn: () => encodeHistogram(h1000) },
    { name: 'snapshot.decode', what: 'decompress it', batch: 1, fn: () => decodeHistogram(encoded) },
    { name: 'writer.outcome', what: 'ResultsWriter: an outcome into calls.jsonl (stringify + batched writeSync)', batch: 1_000, fn: () => { for (const o of small) writer.onCallEnd(o); writer.flushSync(); } },
    { name: 'thresholds.evaluate', what: `evaluate ${spec.thresholds.length} thresholds against a summary`, batch: 1, fn: () => evaluateThresholds(spec.thresholds, bigSummary) },
    { name: 'report.summarize', what: `summarize ${big} outcomes (replay through metrics)`, batch: 1, slow: true, cold: true, fn: () => summarizeOutcomes(outcomes, replay).summary({ verdict: 'passed', thresholds: [], run }) },
    { name: 'report.html', what: `render report.html for ${big} calls`, batch: 1, slow: true, fn: () => renderReport(summaryWithVerdicts, undefined, failed) },
    { name: 'report.json', what: `render summary.json for ${big} calls`, batch: 1, slow: true, fn: () => renderSummaryJson(summaryWithVerdicts) },
    { name: 'report.junit', what: `render junit.xml for ${big} calls`, batch: 1, slow: true, fn: () => renderJunit(summaryWithVerdicts, junitCalls) },
  ].filter((t) => !ctx.filter || t.name.includes(ctx.filter));

  const results = [];
  try {
    for (const t of tasks) {
      const bench = new Bench(benchOptions(t, quick));
      bench.add(t.name, t.fn);
      await bench.run();
      const r = bench.tasks[0].result;
      if (!r || r.error) throw r?.error ?? new Error(`${t.name} produced no result`);
      const perOpNs = (ms) => (ms * 1e6) / t.batch;
      const medianNs = perOpNs(r.latency.p50 ?? r.latency.mean);
      const row = {
        name: t.name,
        what: t.what,
        batch: t.batch,
        samples: r.latency.samples.length,
        medianNsPerOp: round(medianNs, 1),
        p99NsPerOp: round(perOpNs(r.latency.p99 ?? r.latency.max), 1),
        opsPerSecMedian: round(1e9 / medianNs, 1),
      };
      ctx.log(`  ${t.name}: ${formatNs(row.medianNsPerOp)} median, ${formatNs(row.p99NsPerOp)} p99 per op`);
      results.push(row);
    }
  } finally {
    writer.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  return { outcomes: big, thresholdsPassed: verdicts.filter((v) => v.passed).length, thresholds: verdicts.length, tasks: results };
}

/** Seconds-long tasks get a few timed runs; the rest a time budget. */
function benchOptions(task, quick) {
  if (!task.slow) return { time: quick ? 200 : 1000, warmupTime: quick ? 50 : 200 };
  return { time: 0, iterations: quick ? 1 : 2, warmup: !task.cold, warmupIterations: 1, warmupTime: 0 };
}

export function formatNs(ns) {
  if (ns >= 1e9) return `${round(ns / 1e9, 2)} s`;
  if (ns >= 1e6) return `${round(ns / 1e6, 2)} ms`;
  if (ns >= 1e3) return `${round(ns / 1e3, 2)} µs`;
  return `${round(ns, 1)} ns`;
}
