/**
 * The live panel on a real pseudo-terminal: `script` (util-linux) runs the real CLI on
 * specs/smoke.yaml with a pty as stdout, and the captured bytes are read back frame by frame.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cursorUp, HIDE_CURSOR, SHOW_CURSOR } from '../../src/report/live/terminal.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function runInPty(command: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile('script', ['-qfec', command, '/dev/null'], { cwd: root, timeout: 90_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, TERM: 'xterm', CI: '' } }, (error, stdout) => {
      if (error && typeof (error as { code?: unknown }).code !== 'number') reject(error);
      else resolve({ code: error ? Number((error as { code: number }).code) : 0, output: stdout });
    });
  });
}

describe('the live panel in a pseudo-terminal', () => {
  it('redraws in place with numbers that move during a run of specs/smoke.yaml, then leaves the final summary', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'loadspec-pty-')), 'results');
    const { code, output } = await runInPty(`node bin/loadspec.js run specs/smoke.yaml --out ${out}`);
    expect(code, output).toBe(0);

    expect(output.startsWith(HIDE_CURSOR)).toBe(true);
    const height = Number(/\x1b\[(\d+)A/.exec(output)?.[1]);
    expect(height).toBeGreaterThanOrEqual(9);
    // Every redraw moves up over the whole previous frame: the panel never scrolls.
    const frames = output.split(`${cursorUp(height)}\r`);
    expect(frames.length).toBeGreaterThanOrEqual(4);
    expect(output.match(/\x1b\[\d+A/g)!.every((up) => up === cursorUp(height))).toBe(true);

    const started = frames.map((f) => /started +(\d+) \/ 50/.exec(f)?.[1]).filter((v): v is string => v !== undefined).map(Number);
    const distinct = [...new Set(started)];
    expect(distinct.length, `started counts seen: ${started.join(', ')}`).toBeGreaterThanOrEqual(3);
    expect(started).toEqual([...started].sort((a, b) => a - b));
    expect(started.at(-1)).toBe(50);
    const elapsed = frames.map((f) => /(\d\d:\d\d) \/ \d\d:\d\d/.exec(f)?.[1]).filter(Boolean);
    expect(new Set(elapsed).size).toBeGreaterThanOrEqual(3);

    // The last frame is erased and the cursor restored before the summary is printed.
    const summary = frames.at(-1)!;
    expect(summary.startsWith(`\x1b[J${SHOW_CURSOR}loadspec · smoke · PASSED`)).toBe(true);
    expect(summary).toMatch(/calls +planned 50 +started 50 +dropped 0/);
    expect(summary).toMatch(/response_time +\d+/);
    expect(summary).toContain(out);
    expect(summary).not.toContain(HIDE_CURSOR);
  });
});
