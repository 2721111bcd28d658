/**
 * Failures outside the CLI's own try (a timer, a stream callback) through the real CLI:
 * they must exit 3 ("the run could not complete"), not node's 1, which reads as "a
 * threshold failed"; a full disk is the user's environment, so it is one line.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINIMAL, tempDir, type TempDir } from '../spec/fixtures.js';
import { loadspec } from '../support/cli.js';


let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('crashes outside the command', { timeout: 90_000 }, () => {
  it('an uncaught throw from a reporter module exits 3 with the stack, not 1', async () => {
    tmp.write('s.yaml', MINIMAL);
    tmp.write('late.mjs', 'export default { onBegin() { setTimeout(() => { throw new Error("late boom"); }, 10); } };\n');
    const result = await loadspec(['run', 's.yaml', '--out', 'r', '--live', 'off', '--reporter', './late.mjs'], tmp.dir);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^loadspec: internal error \(LOADSPEC_RUN_FAILED\): Error: late boom\n\s+at /);
  });

  it('a disk that fills up during the run is one LOADSPEC_OUTPUT_UNWRITABLE line, exit 3', async (ctx) => {
    const disk = path.join(tmp.dir, 'disk');
    mkdirSync(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      ctx.skip(); // needs root and a kernel that lets this process mount
    }
    try {
      tmp.write('s.yaml', MINIMAL.replace('calls: 10, pacing: 5/s', 'calls: 200, pacing: 100/s'));
      const result = await loadspec(['run', 's.yaml', '--out', 'disk/r', '--live', 'off'], tmp.dir);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr.trim().split('\n')).toEqual([
        'cannot write results (ENOSPC): the disk is full  (choose an --out directory you can write to, on a disk with free space)',
      ]);
    } finally {
      execFileSync('umount', [disk], { stdio: 'ignore' });
    }
  });
});
