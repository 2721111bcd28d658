/** report.html as a reporter: keeps a few failed calls as they end, renders at the end. */
import type { RunSummary } from '../../metrics/summary.js';
import type { CallOutcome } from '../../results/types.js';
import { RunRecorder } from '../recorder.js';
import type { Reporter, RunInfo } from '../reporter.js';
import { renderHtml } from './render.js';
import { buildView } from './view.js';

export const HTML_FILE = 'report.html';

export function renderReport(summary: RunSummary, info: RunInfo | undefined, failedSamples: readonly CallOutcome[]): string {
  return renderHtml(buildView(summary, info, failedSamples));
}

export class HtmlReporter implements Reporter {
  readonly name = 'html';
  private readonly recorder = new RunRecorder();

  onBegin(info: RunInfo): void {
    this.recorder.begin(info);
  }

  onCallEnd(outcome: CallOutcome): void {
    this.recorder.add(outcome);
  }

  onEnd(summary: RunSummary): void {
    const complete = this.recorder.complete(summary);
    this.recorder.write(HTML_FILE, renderReport(complete, this.recorder.info, this.recorder.failedSamples));
  }
}
