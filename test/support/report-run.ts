/**
 * Drives the output reporters the way a run does (begin, every call's end, end) on fixture
 * outcomes, with a ThresholdGate deciding the verdicts, and returns the run's folder.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Reporter } from '../../src/report/reporter.js';
import type { CallOutcome } from '../../src/results/types.js';
import type { RunSummary } from '../../src/metrics/summary.js';
import { ThresholdGate } from '../../src/thresholds/gate.js';
import { abOutcomes, fixtureInfo, fixtureSpec, outcome, summarize, threshold } from './report-fixtures.js';

export const XSS_REPLY = 'Sure <img src=x onerror=alert(1)> </script><script>alert(2)</script> & "quotes"';

export function fixtureThresholds() {
  return [
    threshold('failure_rate', '< 5%'),
    threshold('response_time', 'p95 < 1500ms'),
    threshold('drop_rate', '< 5%'),
    threshold('response_time{scenario:refill}', 'p99 < 2s'),
    threshold('response_time{scenario:cancel}', 'p95 < 1s'),
  ];
}

/** The A/B fixture plus one failed call whose agent reply is an XSS payload. */
export function fixtureOutcomesWithXss(): CallOutcome[] {
  const outcomes = abOutcomes();
  outcomes.push(outcome({ index: 80, scenario: 'scheduling', variant: 'prompt-v2', status: 'failed', responseMs: [610, 640], replies: ['Hello <b>there</b>', XSS_REPLY] }));
  // Calls end out of index order in a real run; the first failed samples should include the payload.
  return [outcomes[80]!, ...outcomes.slice(0, 80)];
}

export async function runReporters(reporters: readonly Reporter[], options: { outDir?: string; outcomes?: CallOutcome[] } = {}): Promise<{ outDir: string; summary: RunSummary }> {
  const outDir = options.outDir ?? mkdtempSync(path.join(os.tmpdir(), 'loadspec-report-'));
  const outcomes = options.outcomes ?? fixtureOutcomesWithXss();
  const thresholds = fixtureThresholds();
  const spec = fixtureSpec({ thresholds });
  const info = fixtureInfo(outDir, spec);
  const gate = new ThresholdGate(thresholds);
  const all: Reporter[] = [gate, ...reporters];
  for (const r of all) await r.onBegin?.(info);
  for (const o of outcomes) for (const r of all) await r.onCallEnd?.(o);
  const summary = gate.finalize(summarize(outcomes));
  for (const r of reporters) await r.onEnd?.(summary);
  return { outDir, summary };
}
