/**
 * Fans the run's events out to every reporter. Each hook runs inside try/catch and its
 * promise is awaited with a catch, so one broken reporter can neither stop the run nor
 * starve the others; its first error is reported once, naming it, and it keeps receiving
 * events (a reporter that fails once may still write a useful file at the end).
 */
import type { RunSummary } from '../metrics/summary.js';
import type { CallOutcome } from '../results/types.js';
import type { LiveSnapshot, Reporter, RunInfo } from './reporter.js';

type Hook = 'onBegin' | 'onInterval' | 'onCallEnd' | 'onEnd' | 'onExit';

export interface MultiplexerOptions {
  /** Where a failing reporter is reported (default process.stderr). */
  readonly stderr?: NodeJS.WritableStream;
}

export class ReporterMultiplexer implements Reporter {
  readonly name = 'multiplexer';
  private readonly reporters: readonly Reporter[];
  private readonly stderr: NodeJS.WritableStream;
  private readonly failed = new Set<Reporter>();

  constructor(reporters: readonly Reporter[], o: MultiplexerOptions = {}) {
    this.reporters = reporters;
    this.stderr = o.stderr ?? process.stderr;
  }

  onBegin(info: RunInfo): Promise<void> {
    return this.fanOut('onBegin', (r) => r.onBegin?.(info));
  }

  onInterval(snapshot: LiveSnapshot): Promise<void> {
    return this.fanOut('onInterval', (r) => r.onInterval?.(snapshot));
  }

  onCallEnd(outcome: CallOutcome): Promise<void> {
    return this.fanOut('onCallEnd', (r) => r.onCallEnd?.(outcome));
  }

  onEnd(summary: RunSummary): Promise<void> {
    return this.fanOut('onEnd', (r) => r.onEnd?.(summary));
  }

  onExit(): Promise<void> {
    return this.fanOut('onExit', (r) => r.onExit?.());
  }

  /** Reporters whose hooks threw or rejected at least once. */
  get failedReporters(): readonly string[] {
    return [...this.failed].map((r) => r.name);
  }

  // Hooks start in order (synchronous reporters see events in order), then run concurrently.
  private async fanOut(hook: Hook, call: (r: Reporter) => void | Promise<void>): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const reporter of this.reporters) {
      try {
        const result = call(reporter);
        if (result && typeof (result as Promise<void>).then === 'function') {
          pending.push((result as Promise<void>).then(undefined, (error: unknown) => this.fail(reporter, hook, error)));
        }
      } catch (error) {
        this.fail(reporter, hook, error);
      }
    }
    if (pending.length > 0) await Promise.all(pending);
  }

  private fail(reporter: Reporter, hook: Hook, error: unknown): void {
    if (this.failed.has(reporter)) return;
    this.failed.add(reporter);
    const message = error instanceof Error ? error.message : String(error);
    try {
      this.stderr.write(`loadspec: reporter "${reporter.name}" failed in ${hook}: ${message} (the run goes on; later errors from it are not shown)\n`);
    } catch {
      // Nowhere left to report to; the run still goes on.
    }
  }
}

