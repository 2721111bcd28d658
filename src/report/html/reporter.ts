/** report.html as a reporter: keeps a few failed calls as they end, renders at the end. */
import type { RunSummary } from '../../metrics/summary.js';
import type { CallOutcome } from '../../results/types.js';
import { RecordingReporter } from '../recorder.js';
import type { RunInfo } from '../reporter.js';
import { renderHtml } from './render.js';
import { buildView } from './view.js';

export const HTML_FILE = 'report.html';

export function renderReport(summary: RunSummary, info: RunInfo | undefined, failedSamples: readonly CallOutcome[]): string {
  return renderHtml(buildView(summary, info, failedSamples));
}

export class HtmlReporter extends RecordingReporter {
  readonly name = 'html';

  onEnd(summary: RunSummary): void {
    const complete = this.recorder.complete(summary);
    this.recorder.write(HTML_FILE, renderReport(complete, this.recorder.info, this.recorder.failedSamples));
  }
}
