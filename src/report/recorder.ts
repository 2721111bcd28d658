/**
 * What the file reports keep from the event stream besides the summary: the run's info,
 * the A/B samples and a few failed calls to show. Bounded: per call it keeps one number
 * for the A/B test, and at most `spec.report.sampleTranscripts` outcomes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunSummary } from '../metrics/summary.js';
import type { CallOutcome } from '../results/types.js';
import { AbCollector } from './ab.js';
import type { Reporter, RunInfo } from './reporter.js';

export class RunRecorder {
  private runInfo: RunInfo | undefined;
  private readonly ab = new AbCollector();
  private readonly failed: CallOutcome[] = [];

  begin(info: RunInfo): void {
    this.runInfo = info;
  }

  get info(): RunInfo | undefined {
    return this.runInfo;
  }

  add(outcome: CallOutcome): void {
    this.ab.add(outcome);
    const keep = this.runInfo?.spec.report.sampleTranscripts ?? 0;
    if ((outcome.status === 'failed' || outcome.status === 'error') && this.failed.length < keep) this.failed.push(outcome);
  }

  /** Failed or errored calls to show, in the order they ended. */
  get failedSamples(): readonly CallOutcome[] {
    return this.failed;
  }

  /** The summary with the A/B comparison, when the spec has two or more variants. */
  complete(summary: RunSummary): RunSummary {
    if (summary.abTest || !this.runInfo) return summary;
    const abTest = this.ab.summarize(this.runInfo.spec.variants.map((v) => v.name));
    return abTest ? { ...summary, abTest } : summary;
  }

  /** Writes one output file into the run's folder; returns its path. */
  write(fileName: string, content: string): string {
    if (!this.runInfo) throw new Error(`cannot write ${fileName}: the run never began`);
    mkdirSync(this.runInfo.outDir, { recursive: true });
    const file = path.join(this.runInfo.outDir, fileName);
    writeFileSync(file, content);
    return file;
  }
}

/** A file report: records the stream as it passes, writes its file at the end. */
export abstract class RecordingReporter implements Reporter {
  abstract readonly name: string;
  protected readonly recorder = new RunRecorder();

  onBegin(info: RunInfo): void {
    this.recorder.begin(info);
  }

  onCallEnd(outcome: CallOutcome): void {
    this.recorder.add(outcome);
  }

  abstract onEnd(summary: RunSummary): void;
}
