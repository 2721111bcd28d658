/**
 * Re-renders a finished run's outputs from its results folder, placing no calls: the
 * summary is recomputed from calls.jsonl (metrics/replay.ts), the thresholds re-evaluated
 * by the same gate a live run uses, and the outcomes replayed through the same reporters
 * (begin, every call's end, end), so the files match what the run would write.
 */
import { summarizeOutcomes } from '../metrics/replay.js';
import type { RunSummary } from '../metrics/summary.js';
import { ThresholdGate } from '../thresholds/gate.js';
import type { Reporter, RunInfo } from './reporter.js';
import type { ResultsDir } from './results-dir.js';

export async function rerender(results: ResultsDir, reporters: readonly Reporter[], outDir: string): Promise<RunSummary> {
  const { run, outcomes } = results;
  const spec = run.spec;
  const planned = Math.max(spec.load.calls, outcomes.length);
  // A run that crashed never wrote endedAt: its last call's end stands in (reduce, not spread: calls can be millions).
  const endedAtMs = run.endedAt !== undefined ? Date.parse(run.endedAt) : outcomes.reduce((latest, o) => Math.max(latest, o.endedAtMs), run.startedAtMs);
  const metrics = summarizeOutcomes(outcomes, { spec, runStartMs: run.startedAtMs, intervalMs: run.intervalMs, planned, threads: run.threads });
  const base = metrics.summary({
    verdict: 'passed',
    thresholds: [],
    run: {
      id: run.runId,
      loadspecVersion: run.loadspecVersion,
      startedAt: run.startedAt,
      endedAt: new Date(endedAtMs).toISOString(),
      durationMs: Math.max(0, endedAtMs - run.startedAtMs),
      ...(run.abortReason !== undefined ? { abortReason: run.abortReason } : {}),
      ...(run.shard ? { shard: run.shard } : {}),
      settings: run.settings,
    },
  });
  const info: RunInfo = {
    runId: run.runId,
    spec,
    outDir,
    startedAtMs: run.startedAtMs,
    intervalMs: run.intervalMs,
    threads: run.threads,
    ...(run.shard ? { shard: run.shard } : {}),
    settings: run.settings,
  };
  const gate = new ThresholdGate(spec.thresholds);
  const all: Reporter[] = [gate, ...reporters];
  for (const r of all) await r.onBegin?.(info);
  for (const outcome of outcomes) for (const r of all) await r.onCallEnd?.(outcome);
  const summary = gate.finalize(base, run.abortReason);
  for (const r of reporters) await r.onEnd?.(summary);
  for (const r of reporters) await r.onExit?.();
  return summary;
}
