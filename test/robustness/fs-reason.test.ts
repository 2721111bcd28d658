/** The words for a file system failure, from the errors node really throws. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsReason } from '../../src/spec/fs-reason.js';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('fsReason', () => {
  it('names a missing file, a folder and a file in the way', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loadspec-fs-'));
    try {
      writeFileSync(path.join(dir, 'file'), 'x');
      expect(fsReason(thrownBy(() => readFileSync(path.join(dir, 'nope'))))).toBe('does not exist');
      expect(fsReason(thrownBy(() => readFileSync(dir)))).toBe('is a folder, not a file');
      expect(fsReason(thrownBy(() => readFileSync(path.join(dir, 'file', 'x'))))).toBe('is under a file, not a folder');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file past the longest string node can hold is too large, not a riddle', () => {
    // What readFile(…, 'utf8') throws for a file over ~512 MB.
    expect(fsReason(new RangeError('Invalid string length'))).toBe('is too large to read');
  });
});
