/**
 * Draws a block of lines in place on a terminal: each frame moves the cursor back up over
 * the previous one and rewrites every line (clear-line first), in one write, so the panel
 * neither flickers nor scrolls. The cursor is hidden while drawing and always restored,
 * also when the process exits without reaching the end of the run.
 *
 * Two things would otherwise tear the panel: a line written to stderr on the same terminal
 * (a warning) lands inside it, and a narrowed terminal wraps the old frame's lines. So
 * while the panel is up, stderr writes erase it, print, and redraw it below; and the
 * cursor moves up over as many rows as the old frame takes at the current width.
 */
const ESC = '\x1b[';
export const HIDE_CURSOR = `${ESC}?25l`;
export const SHOW_CURSOR = `${ESC}?25h`;
export const CLEAR_LINE = `${ESC}2K`;
export const CLEAR_BELOW = `${ESC}J`;
export const cursorUp = (n: number): string => `${ESC}${n}A`;

type Stream = NodeJS.WritableStream & { columns?: number; isTTY?: boolean };
type Write = Stream['write'];

export class TerminalPainter {
  private frame: readonly string[] = [];
  private hidden = false;
  private originalStderrWrite: Write | undefined;
  private readonly restoreOnExit = (): void => this.release();

  constructor(
    private readonly stream: Stream,
    private readonly stderr?: Stream,
  ) {}

  paint(lines: readonly string[]): void {
    if (!this.hidden) {
      this.hidden = true;
      process.once('exit', this.restoreOnExit);
      this.stream.write(HIDE_CURSOR);
      this.interceptStderr();
    }
    const rows = this.rowsOnScreen();
    let out = rows > 0 ? `${cursorUp(rows)}\r` : '';
    for (const line of lines) out += `${CLEAR_LINE}${line}\n`;
    if (rows > lines.length) out += CLEAR_BELOW;
    this.frame = lines;
    this.stream.write(out);
  }

  /** Erases the panel and gives the cursor (and stderr) back, as before the first frame. */
  clear(): void {
    this.erase();
    this.release();
  }

  private erase(): void {
    const rows = this.rowsOnScreen();
    if (rows > 0) this.stream.write(`${cursorUp(rows)}\r${CLEAR_BELOW}`);
    this.frame = [];
  }

  /** Rows the last frame occupies now: a line wider than the terminal wraps onto several. */
  private rowsOnScreen(): number {
    const columns = this.stream.columns ?? 0;
    let rows = 0;
    for (const line of this.frame) rows += columns > 0 ? Math.max(1, Math.ceil([...line].length / columns)) : 1;
    return rows;
  }

  private interceptStderr(): void {
    const stderr = this.stderr;
    if (!stderr || stderr === this.stream || stderr.isTTY !== true || this.originalStderrWrite) return;
    const original = stderr.write;
    this.originalStderrWrite = original;
    const painter = this;
    stderr.write = function (this: Stream, ...args: Parameters<Write>): boolean {
      const frame = painter.frame;
      painter.erase();
      const ok = (original as (...a: Parameters<Write>) => boolean).apply(stderr, args);
      if (frame.length > 0) painter.paint(frame);
      return ok;
    } as Write;
  }

  private release(): void {
    if (this.originalStderrWrite && this.stderr) this.stderr.write = this.originalStderrWrite;
    this.originalStderrWrite = undefined;
    if (!this.hidden) return;
    this.hidden = false;
    process.removeListener('exit', this.restoreOnExit);
    this.stream.write(SHOW_CURSOR);
  }
}
