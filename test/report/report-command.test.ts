/** `loadspec report` through the real CLI (bin/loadspec.js → dist/) on results folders built here. */
import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseJunit } from 'junit2json';
import { describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../src/results/types.js';
import type { ThresholdSpec } from '../../src/spec/types.js';
import { abOutcomes, fixtureSpec, RUN_START_MS, threshold } from '../support/report-fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'loadspec.js');

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function resultsDir(thresholds: readonly ThresholdSpec[], outcomes: readonly CallOutcome[] = abOutcomes(), extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loadspec-results-'));
  const spec = fixtureSpec({ thresholds, sourcePath: path.join(dir, 'peak.yaml'), load: { ...fixtureSpec().load, calls: outcomes.length } });
  const run = {
    runFileVersion: 1, loadspecVersion: '0.1.0', runId: 'run-replayed', specPath: spec.sourcePath, startedAt: new Date(RUN_START_MS).toISOString(), startedAtMs: RUN_START_MS,
    intervalMs: 5_000, threads: 2, settings: { calls: outcomes.length, concurrency: 10 }, spec, endedAt: new Date(RUN_START_MS + 60_000).toISOString(), ...extra,
  };
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify(run, null, 2));
  writeFileSync(path.join(dir, 'calls.jsonl'), outcomes.map((o) => JSON.stringify(o)).join('\n') + '\n');
  return dir;
}

describe('loadspec report', { timeout: 60_000 }, () => {
  it('re-renders every output from calls.jsonl, re-evaluates thresholds and exits 1 when one fails', async () => {
    const dir = resultsDir([threshold('failure_rate', '< 5%'), threshold('response_time', 'p95 < 1500ms'), threshold('response_time{scenario:refill,variant:prompt-v2}', 'p(97.5) < 2s')]);
    const out = path.join(dir, 'rendered');
    const result = await cli(['report', dir, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAILED · 2 of 3 thresholds passed · 80 calls');
    for (const file of ['report.html', 'summary.json', 'junit.xml']) expect(existsSync(path.join(out, file))).toBe(true);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.run.id).toBe('run-replayed');
    expect(summary.calls).toMatchObject({ planned: 80, started: 79, dropped: 1 });
    expect(summary.thresholds.map((t: { passed: boolean }) => t.passed)).toEqual([false, true, true]);
    expect(summary.thresholds[2].value).toBeGreaterThan(500);
    expect(summary.abTest.comparisons[0].variant).toBe('prompt-v2');
    const junit = (await parseJunit(readFileSync(path.join(out, 'junit.xml'), 'utf8'))) as { testsuite?: { name?: string; tests?: number }[] };
    expect(junit.testsuite!.map((s) => [s.name, s.tests])).toEqual([['thresholds', 3], ['scenario scheduling', 60], ['scenario refill', 20]]);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('prompt-v2');
  });

  it('exits 0 when every threshold passes, writing into the results folder itself by default', async () => {
    const dir = resultsDir([threshold('failure_rate', '< 50%'), threshold('drop_rate', '< 5%')]);
    const summaryFile = path.join(dir, 'step-summary.md');
    const result = await cli(['report', dir], { GITHUB_STEP_SUMMARY: summaryFile });
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')).verdict).toBe('passed');
    expect(readFileSync(summaryFile, 'utf8')).toContain('loadspec peak-hour: passed');
  });

  it('keeps the verdict of a run a threshold stopped', async () => {
    const dir = resultsDir([threshold('failure_rate', '< 50%', { abortOnFail: true })], abOutcomes(), { abortReason: 'threshold failure_rate: < 50%' });
    const result = await cli(['report', dir]);
    expect(result.code).toBe(1);
    const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    expect(summary.verdict).toBe('aborted');
    expect(summary.thresholds[0]).toMatchObject({ aborted: true, passed: false });
    const junit = (await parseJunit(readFileSync(path.join(dir, 'junit.xml'), 'utf8'))) as { testsuite?: { testcase?: { failure?: { message?: string; type?: string }[] }[] }[] };
    const failure = junit.testsuite![0]!.testcase![0]!.failure![0]!;
    expect(failure.type).toBe('aborted');
    expect(failure.message).toMatch(/^measured \d+\.\d% at the end; it stopped the run \(abortOnFail\); wanted < 50%$/);
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('The run stopped early: <strong>threshold failure_rate: &lt; 50%</strong>');
  });

  it('names the file and line of a malformed outcome, and the field that is wrong', async () => {
    const dir = resultsDir([threshold('failure_rate', '< 5%')]);
    const file = path.join(dir, 'calls.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = '{"v":1,"index":2,';
    writeFileSync(file, lines.join('\n'));
    const broken = await cli(['report', dir]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`${file}:3:1  not valid JSON`);

    const outcome = JSON.parse(lines[4]!);
    lines[2] = JSON.stringify({ ...outcome, status: 'fine' });
    writeFileSync(file, lines.join('\n'));
    const wrong = await cli(['report', dir]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`${file}:3:1  call outcome: "status" should be passed | failed | error | dropped, found "fine"`);
    expect(wrong.stderr).toContain('point `loadspec report` at a directory written by `loadspec run`');
  });

  it('refuses a folder without run.json, and skips only a last line cut short by a crash', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'loadspec-empty-'));
    const missing = await cli(['report', empty]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${path.join(empty, 'run.json')}:1:1  run.json is missing`);

    const dir = resultsDir([threshold('failure_rate', '< 50%')]);
    appendFileSync(path.join(dir, 'calls.jsonl'), '{"v":1,"index":80,"id":"call-8');
    const cut = await cli(['report', dir]);
    expect(cut.code).toBe(0);
    expect(cut.stderr).toContain('calls.jsonl:81: skipped a last line cut short');
  });
});
