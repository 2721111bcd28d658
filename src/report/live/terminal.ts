/**
 * Draws a block of lines in place on a terminal: each frame moves the cursor back up over
 * the previous one and rewrites every line (clear-line first), in one write, so the panel
 * neither flickers nor scrolls. The cursor is hidden while drawing and always restored,
 * also when the process exits without reaching the end of the run.
 */
const ESC = '\x1b[';
export const HIDE_CURSOR = `${ESC}?25l`;
export const SHOW_CURSOR = `${ESC}?25h`;
export const CLEAR_LINE = `${ESC}2K`;
export const CLEAR_BELOW = `${ESC}J`;
export const cursorUp = (n: number): string => `${ESC}${n}A`;

export class TerminalPainter {
  private height = 0;
  private hidden = false;
  private readonly restoreOnExit = (): void => this.showCursor();

  constructor(private readonly stream: NodeJS.WritableStream) {}

  paint(lines: readonly string[]): void {
    if (!this.hidden) {
      this.hidden = true;
      process.once('exit', this.restoreOnExit);
      this.stream.write(HIDE_CURSOR);
    }
    let frame = this.height > 0 ? `${cursorUp(this.height)}\r` : '';
    for (const line of lines) frame += `${CLEAR_LINE}${line}\n`;
    if (lines.length < this.height) frame += CLEAR_BELOW;
    this.height = lines.length;
    this.stream.write(frame);
  }

  /** Erases the panel and gives the cursor back, leaving the screen as before the first frame. */
  clear(): void {
    if (this.height > 0) this.stream.write(`${cursorUp(this.height)}\r${CLEAR_BELOW}`);
    this.height = 0;
    this.showCursor();
  }

  private showCursor(): void {
    if (!this.hidden) return;
    this.hidden = false;
    process.removeListener('exit', this.restoreOnExit);
    this.stream.write(SHOW_CURSOR);
  }
}
