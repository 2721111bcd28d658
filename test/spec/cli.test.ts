/** `loadspec validate` and `loadspec init` through the real CLI (bin/loadspec.js → dist/) on temp fixtures. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINIMAL, tempDir, type TempDir } from './fixtures.js';

const run = promisify(execFile);
const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'loadspec.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function loadspec(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const fullEnv = { PATH: process.env.PATH, ...env };
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd, env: fullEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const BROKEN = MINIMAL.replace('load: { calls: 10, pacing: 5/s }', 'load:\n  calls: 10\n  pacing: 5/s\n  concurency: 3').concat('thresholds:\n  failure_rat: "< 5%"\n');

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('loadspec validate', { timeout: 90_000 }, () => {
  it('exits 0 and says so for valid specs', async () => {
    tmp.write('good.yaml', MINIMAL);
    const result = await loadspec(['validate', 'good.yaml'], tmp.dir);
    expect(result).toEqual({ code: 0, stdout: 'good.yaml: valid\n', stderr: '' });
  });

  it('prints every problem of every file as file:line:col, and exits 2', async () => {
    tmp.write('good.yaml', MINIMAL);
    tmp.write('specs/bad.yaml', BROKEN);
    const result = await loadspec(['validate', 'good.yaml', 'specs/bad.yaml'], tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stdout.split('\n')).toEqual([
      'good.yaml: valid',
      'specs/bad.yaml:7:3  load has an unknown key "concurency"; did you mean "concurrency"?  (keys here: calls, concurrency, pacing, phases, arrivals, queue, callTimeout, seed, maxDuration, gracePeriod, retries, threads)',
      'specs/bad.yaml:13:3  unknown metric "failure_rat"; did you mean "failure_rate"?  (metrics are planned, started, active, peak_active, passed, failed, errored, dropped, failure_rate, drop_rate, response_time, turn_time, connect_time, call_duration, queue_wait, cost, tokens)',
      'specs/bad.yaml: 2 problems',
      '2 specs checked: 1 valid, 1 invalid',
      '',
    ]);
    expect(result.stderr).toBe('');
  });

  it('prints one JSON record per file with --format json', async () => {
    tmp.write('good.yaml', MINIMAL);
    tmp.write('bad.yaml', BROKEN);
    const result = await loadspec(['validate', '--format', 'json', 'good.yaml', 'bad.yaml', 'missing.yaml'], tmp.dir);
    expect(result.code).toBe(2);
    const records = JSON.parse(result.stdout) as unknown[];
    expect(records).toEqual([
      { file: 'good.yaml', valid: true, problems: [], warnings: [] },
      {
        file: 'bad.yaml',
        valid: false,
        problems: [
          expect.objectContaining({ code: 'LOADSPEC_SPEC_INVALID', file: 'bad.yaml', line: 7, col: 3, message: 'load has an unknown key "concurency"; did you mean "concurrency"?' }),
          expect.objectContaining({ code: 'LOADSPEC_THRESHOLD_INVALID', file: 'bad.yaml', line: 13, col: 3 }),
        ],
        warnings: [],
      },
      { file: 'missing.yaml', valid: false, problems: [{ code: 'LOADSPEC_FILE_NOT_FOUND', message: 'spec file missing.yaml does not exist', hint: 'check the path; it is resolved from the current directory' }], warnings: [] },
    ]);
  });

  it('adds GitHub annotations under GitHub Actions', async () => {
    tmp.write('bad.yaml', BROKEN);
    const result = await loadspec(['validate', 'bad.yaml'], tmp.dir, { GITHUB_ACTIONS: 'true' });
    expect(result.code).toBe(2);
    const annotations = result.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toEqual([
      '::error file=bad.yaml,line=7,col=3,title=LOADSPEC_SPEC_INVALID::load has an unknown key "concurency"; did you mean "concurrency"? (keys here: calls, concurrency, pacing, phases, arrivals, queue, callTimeout, seed, maxDuration, gracePeriod, retries, threads)',
      expect.stringMatching(/^::error file=bad\.yaml,line=13,col=3,title=LOADSPEC_THRESHOLD_INVALID::unknown metric "failure_rat"/),
    ]);
    const json = await loadspec(['validate', 'bad.yaml', '--format', 'json'], tmp.dir, { GITHUB_ACTIONS: 'true' });
    expect(() => JSON.parse(json.stdout)).not.toThrow();
    expect(json.stderr).toContain('::error file=bad.yaml,line=7,col=3');
    const plain = await loadspec(['validate', 'bad.yaml'], tmp.dir);
    expect(plain.stdout).not.toContain('::error');
  });

  it('validates the whole broken corpus in one go', async () => {
    const corpus = path.join(import.meta.dirname, 'corpus');
    const result = await loadspec(['validate', 'bad-rate.yaml', 'csv-ragged.yaml', 'weights-zero.yaml'], corpus);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('bad-rate.yaml:6:11  load.pacing: "5 per second" is not a rate');
    expect(result.stdout).toContain('csv/ragged.csv:3:1  CSV: this row has 1 field; the header has 2');
    expect(result.stdout).toContain('3 specs checked: 0 valid, 3 invalid');
  });

  it('prints warnings without failing', async () => {
    tmp.write('warn.yaml', MINIMAL.replace('{ driver: sim }', '{ driver: http, url: "http://127.0.0.1:9", demo: { latency: 1s } }'));
    const result = await loadspec(['validate', 'warn.yaml'], tmp.dir, { GITHUB_ACTIONS: 'true' });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'warn.yaml:3:52  warning: demo settings apply only to the bundled demo receptionist (url: builtin); they are ignored here  (remove demo:, or set url: builtin to test against the demo receptionist)',
      'warn.yaml: valid (1 warning)',
      '::warning file=warn.yaml,line=3,col=52,title=LOADSPEC_SPEC_INVALID::demo settings apply only to the bundled demo receptionist (url: builtin); they are ignored here (remove demo:, or set url: builtin to test against the demo receptionist)',
      '',
    ]);
  });

  it('validates every .yaml and .yml file under a folder', async () => {
    tmp.write('specs/a.yaml', MINIMAL);
    tmp.write('specs/nested/b.yml', MINIMAL);
    tmp.write('specs/notes.txt', 'not a spec');
    const result = await loadspec(['validate', 'specs'], tmp.dir);
    expect(result).toMatchObject({ code: 0, stdout: `specs/a.yaml: valid\n${path.join('specs', 'nested', 'b.yml')}: valid\n2 specs checked: 2 valid, 0 invalid\n` });
    const empty = await loadspec(['validate', 'specs/nested/..', tmp.write('e/.keep', '') && 'e'], tmp.dir);
    expect(empty.code).toBe(2);
    expect(empty.stdout).toContain('folder e holds no .yaml or .yml spec files  (name the spec files, or a folder that has some)');
  });

  it('wants at least one file', async () => {
    const result = await loadspec(['validate'], tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('loadspec validate: name at least one spec file  (usage: loadspec validate specs/*.yaml)\n');
  });
});

describe('loadspec init', { timeout: 90_000 }, () => {
  it('writes a commented starter spec that validates, and will not overwrite it', async () => {
    const first = await loadspec(['init'], tmp.dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('wrote loadspec.yaml');
    const text = readFileSync(path.join(tmp.dir, 'loadspec.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\S+schemas\/loadspec\.v1\.json\n/);
    expect(text.split('\n').filter((line) => line.includes('#')).length).toBeGreaterThan(10);
    expect(await loadspec(['validate', 'loadspec.yaml'], tmp.dir)).toMatchObject({ code: 0, stdout: 'loadspec.yaml: valid\n' });

    const again = await loadspec(['init'], tmp.dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('loadspec.yaml already exists; not overwriting it  (pass --force to overwrite, or name another file: loadspec init other.yaml)\n');
    expect(await loadspec(['init', '--force'], tmp.dir)).toMatchObject({ code: 0 });
  });

  it('says why it cannot write, without a stack trace', async () => {
    tmp.write('taken', 'a file, not a folder');
    const result = await loadspec(['init', 'taken/spec.yaml'], tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('cannot write taken/spec.yaml (a file is in the way of its folder)  (choose a path in a folder you can write to)\n');
  });

  it('writes to the named file, pointing the schema comment at loadspec\'s schema', async () => {
    const result = await loadspec(['init', 'load/tests/peak.yaml'], tmp.dir);
    expect(result.code).toBe(0);
    const text = readFileSync(path.join(tmp.dir, 'load', 'tests', 'peak.yaml'), 'utf8');
    const schemaRef = /\$schema=(\S+)/.exec(text)?.[1] ?? '';
    expect(readFileSync(path.resolve(tmp.dir, 'load', 'tests', schemaRef), 'utf8')).toContain('"$id"');
    expect((await loadspec(['validate', 'load/tests/peak.yaml'], tmp.dir)).code).toBe(0);
  });
});
