/**
 * summary.json: the RunSummary (thresholds, verdict and the A/B comparison included),
 * versioned by `summaryVersion` and described by schemas/summary.v1.json.
 */
import type { RunSummary } from '../metrics/summary.js';
import { RecordingReporter } from './recorder.js';

export const SUMMARY_FILE = 'summary.json';

export function renderSummaryJson(summary: RunSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

export class JsonReporter extends RecordingReporter {
  readonly name = 'json';

  onEnd(summary: RunSummary): void {
    this.recorder.write(SUMMARY_FILE, renderSummaryJson(this.recorder.complete(summary)));
  }
}
