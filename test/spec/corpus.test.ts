/**
 * The broken-spec corpus: every file under test/spec/corpus/ is a spec with mistakes, and
 * its trailing `# expect: FILE:LINE:COL  CODE  MESSAGE` comments list exactly the problems
 * loadspec must report, in order. Positions are what users jump to, so they are exact.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '../../src/spec/load.js';

const dir = path.join(import.meta.dirname, 'corpus');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

function expectations(file: string): string[] {
  return readFileSync(path.join(dir, file), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('# expect: '))
    .map((line) => line.slice('# expect: '.length));
}

describe('broken spec corpus', () => {
  it('has at least 30 broken specs, each expecting at least one problem', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const file of files) expect(expectations(file).length, file).toBeGreaterThan(0);
  });

  it.each(files)('%s reports exactly its expected problems', async (file) => {
    const result = await checkSpec(file, { cwd: dir, env: {} });
    const actual = result.problems.map((p) => `${p.position?.file}:${p.position?.line}:${p.position?.col}  ${p.code}  ${p.message}`);
    expect(actual).toEqual(expectations(file));
    expect(result.spec).toBeUndefined();
    for (const problem of result.problems) expect(problem.hint, problem.message).toBeTruthy();
  });
});
