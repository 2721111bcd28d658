/**
 * The live view as a reporter. Three modes:
 * - `tty`: a panel redrawn in place, every interval and once a second in between (the clock
 *   keeps moving when intervals are longer); replaced by the final summary at the end.
 * - `lines`: one compact line every `liveIntervalMs` (CI logs), then the final summary.
 * - `json`: one JSON object per interval on stdout, and one `end` object, for piping.
 * - `quiet` (`--live off`): nothing while running, the final summary at the end.
 */
import type { RunSummary } from '../../metrics/summary.js';
import type { LiveSnapshot, Reporter, RunInfo } from '../reporter.js';
import { renderSummary } from '../summary-text.js';
import { renderLine, renderPanel } from './panel.js';
import { TerminalPainter } from './terminal.js';

export type LiveMode = 'tty' | 'lines' | 'json' | 'quiet';

export interface LiveReporterOptions {
  readonly mode: LiveMode;
  readonly stdout: NodeJS.WritableStream & { columns?: number };
  /** Lines written here while the panel is up are printed above it (when it is a terminal too). */
  readonly stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Between lines in `lines` mode. */
  readonly liveIntervalMs: number;
  /** How often the panel redraws between snapshots (default 1 s). */
  readonly redrawMs?: number;
  /** Clock for the panel's elapsed time between snapshots. */
  readonly now?: () => number;
}

const DEFAULT_COLUMNS = 100;

export class LiveReporter implements Reporter {
  readonly name = 'live';
  private readonly o: LiveReporterOptions;
  private readonly painter: TerminalPainter | undefined;
  private info: RunInfo | undefined;
  private latest: { snapshot: LiveSnapshot; atMs: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextLineAtMs: number;
  private ended = false;

  constructor(o: LiveReporterOptions) {
    this.o = o;
    this.painter = o.mode === 'tty' ? new TerminalPainter(o.stdout, o.stderr) : undefined;
    this.nextLineAtMs = o.liveIntervalMs;
  }

  onBegin(info: RunInfo): void {
    this.info = info;
    if (this.painter) {
      this.timer = setInterval(() => this.redraw(), this.o.redrawMs ?? 1000);
      this.timer.unref();
    }
  }

  onInterval(snapshot: LiveSnapshot): void {
    if (this.ended) return;
    this.latest = { snapshot, atMs: this.now() };
    if (this.o.mode === 'json') {
      this.o.stdout.write(`${JSON.stringify({ type: 'interval', ...snapshot })}\n`);
    } else if (this.o.mode === 'quiet') {
      return;
    } else if (this.o.mode === 'lines') {
      if (snapshot.elapsedMs < this.nextLineAtMs) return;
      this.o.stdout.write(`${renderLine(snapshot)}\n`);
      // Skip ahead rather than catch up: one line per --live-interval, never a burst.
      while (this.nextLineAtMs <= snapshot.elapsedMs) this.nextLineAtMs += this.o.liveIntervalMs;
    } else {
      this.redraw();
    }
  }

  onEnd(summary: RunSummary): void {
    this.stop();
    if (this.o.mode === 'json') {
      const { series: _series, scenarios: _s, variants: _v, segments: _g, ...rest } = summary;
      this.o.stdout.write(`${JSON.stringify({ type: 'end', ...rest, ...(this.info ? { outDir: this.info.outDir } : {}) })}\n`);
      return;
    }
    this.o.stdout.write(renderSummary(summary, this.info ? { outDir: this.info.outDir } : {}));
  }

  onExit(): void {
    this.stop();
  }

  private stop(): void {
    this.ended = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.painter?.clear();
  }

  private redraw(): void {
    if (!this.painter || !this.latest || this.ended) return;
    // Between snapshots only the clock moves; the numbers wait for the next interval.
    const snapshot = { ...this.latest.snapshot, elapsedMs: this.latest.snapshot.elapsedMs + (this.now() - this.latest.atMs) };
    this.painter.paint(
      renderPanel(snapshot, {
        specName: this.info?.spec.name ?? '',
        ...(this.info ? { threads: this.info.threads } : {}),
        columns: this.o.stdout.columns ?? DEFAULT_COLUMNS,
      }),
    );
  }

  private now(): number {
    return this.o.now ? this.o.now() : performance.now();
  }
}
