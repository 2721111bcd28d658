/**
 * `loadspec report` on folders it cannot read, through the real CLI: results from a newer
 * loadspec, and a file where a folder belongs. One line each, exit 2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINIMAL, tempDir, type TempDir } from '../spec/fixtures.js';
import { loadspec } from '../support/cli.js';


let tmp: TempDir;
beforeAll(async () => {
  tmp = tempDir();
  tmp.write('s.yaml', MINIMAL.replace('calls: 10, pacing: 5/s', 'calls: 2, pacing: 50/s'));
  const run = await loadspec(['run', 's.yaml', '--out', 'r', '--live', 'off', '--threads', '1'], tmp.dir);
  expect(run.code, run.stderr).toBe(0);
}, 60_000);
afterAll(() => tmp.cleanup());

describe('loadspec report', { timeout: 60_000 }, () => {
  it('results written by a newer loadspec: says which versions, and to upgrade', async () => {
    const file = path.join(tmp.dir, 'r', 'run.json');
    const run = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...run, runFileVersion: 2, loadspecVersion: '9.0.0' }));
    try {
      const result = await loadspec(['report', 'r', '--out', 'again'], tmp.dir);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([
        `${file}:1:1  run.json is format version 2, written by loadspec 9.0.0; this loadspec reads version 1  (upgrade loadspec (npm install loadspec@latest) to re-render these results)`,
      ]);
    } finally {
      writeFileSync(file, JSON.stringify(run));
    }
  });

  it('a newer call outcome line is named as such, at its line', async () => {
    const file = path.join(tmp.dir, 'r', 'calls.jsonl');
    const text = readFileSync(file, 'utf8');
    const lines = text.trim().split('\n');
    writeFileSync(file, [lines[0], (lines[1] ?? '').replace('"v":1', '"v":3')].join('\n') + '\n');
    try {
      const result = await loadspec(['report', 'r', '--out', 'again'], tmp.dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${file}:2:1  this call outcome is format version 3; this loadspec reads version 1  (upgrade loadspec`);
    } finally {
      writeFileSync(file, text);
    }
  });

  it('a file instead of a folder', async () => {
    const result = await loadspec(['report', 's.yaml'], tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${path.join(tmp.dir, 's.yaml')} is a file; \`loadspec report\` reads the folder a run wrote  (point \`loadspec report\` at a directory written by \`loadspec run\`)`,
    ]);
  });
});
