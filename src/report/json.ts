/**
 * summary.json: the RunSummary (thresholds, verdict and the A/B comparison included),
 * versioned by `summaryVersion` and described by schemas/summary.v1.json.
 */
import type { RunSummary } from '../metrics/summary.js';
import type { CallOutcome } from '../results/types.js';
import { RunRecorder } from './recorder.js';
import type { Reporter, RunInfo } from './reporter.js';

export const SUMMARY_FILE = 'summary.json';

export function renderSummaryJson(summary: RunSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

export class JsonReporter implements Reporter {
  readonly name = 'json';
  private readonly recorder = new RunRecorder();

  onBegin(info: RunInfo): void {
    this.recorder.begin(info);
  }

  onCallEnd(outcome: CallOutcome): void {
    this.recorder.add(outcome);
  }

  onEnd(summary: RunSummary): void {
    this.recorder.write(SUMMARY_FILE, renderSummaryJson(this.recorder.complete(summary)));
  }
}
