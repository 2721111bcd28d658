/**
 * The CI gate end to end: `loadspec run` (the real CLI, compiled dist/) on sim-driver specs,
 * whose exit code, summary.json, junit.xml and report.html carry the threshold verdicts.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseJunit } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { simSpecYaml, tempDir } from '../support/engine-spec.js';
import { summaryValidator } from '../support/summary-schema.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'loadspec.js');

function run(thresholds: string, options: { calls?: number; pacing?: string; failures?: Record<string, string>; args?: string[] } = {}) {
  const dir = tempDir('loadspec-gate-');
  writeFileSync(
    path.join(dir, 'spec.yaml'),
    simSpecYaml({ calls: options.calls ?? 12, pacing: options.pacing ?? '100/s', concurrency: 6, ...(options.failures ? { failures: options.failures } : {}), thresholds }),
  );
  return new Promise<{ code: number; stdout: string; stderr: string; out: string }>((resolve) => {
    const args = [BIN, 'run', 'spec.yaml', '--live', 'off', '--out', 'out', ...(options.args ?? [])];
    execFile(process.execPath, args, { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' }, timeout: 40_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr, out: path.join(dir, 'out') });
    });
  });
}

function summaryOf(out: string) {
  return JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
    verdict: string;
    calls: { planned: number; started: number };
    run: { abortReason?: string };
    thresholds: { key: string; expression: string; passed: boolean; value: number | null; reason?: string; aborted?: boolean }[];
  };
}

// Several real runs per test: generous on a loaded two-core machine; each run stops by itself.
describe('exit codes through loadspec run', { timeout: 120_000 }, () => {
  it('exits 0 when every threshold passes', async () => {
    const result = await run(`thresholds:
  failure_rate: "< 50%"
  response_time: ["p95 < 5s", "avg < 5s"]
  "response_time{scenario:book}": "p99 < 5s"`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = summaryOf(result.out);
    const validate = summaryValidator();
    expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
    expect(summary.verdict).toBe('passed');
    expect(summary.thresholds).toHaveLength(4);
    expect(summary.thresholds.every((t) => t.passed && typeof t.value === 'number')).toBe(true);
    const junit = (await parseJunit(readFileSync(path.join(result.out, 'junit.xml'), 'utf8'))) as { testsuite?: { name?: string; tests?: number; failures?: number }[] };
    expect(junit.testsuite![0]).toMatchObject({ name: 'thresholds', tests: 4, failures: 0 });
    expect(readFileSync(path.join(result.out, 'report.html'), 'utf8')).toContain('4 of 4 thresholds passed');
  });

  it('exits 1 when a threshold fails, and when a threshold saw no data', async () => {
    const slow = await run(`thresholds:
  failure_rate: "< 50%"
  response_time: "p95 < 1ms"`);
    expect(slow.code).toBe(1);
    const summary = summaryOf(slow.out);
    expect(summary.verdict).toBe('failed');
    expect(summary.thresholds.map((t) => t.passed)).toEqual([true, false]);
    expect(summary.thresholds[1]!.value).toBeGreaterThan(1);
    expect(slow.stdout).toContain('FAILED');

    // Every turn fails with a 5xx, so no reply ever arrives: response_time has no samples.
    const noReplies = { failures: { http_5xx: '100%' } };
    const noData = await run(`thresholds:
  response_time: "p95 < 5s"
  "turn_time{scenario:refill}": { threshold: "p95 < 5s", allowNoData: true }`, noReplies);
    expect(noData.code).toBe(1);
    const nd = summaryOf(noData.out);
    expect(nd.verdict).toBe('failed');
    expect(nd.thresholds[0]).toMatchObject({ passed: false, value: null, reason: 'no data' });
    expect(nd.thresholds[1]).toMatchObject({ passed: true, value: null, reason: 'no data (allowed)' });

    const allowed = await run(`thresholds:
  response_time: { threshold: "p95 < 5s", allowNoData: true }`, noReplies);
    expect(allowed.code).toBe(0);
    expect(summaryOf(allowed.out).verdict).toBe('passed');
  });

  it('stops the run early with abortOnFail, says which threshold did, and exits 1', async () => {
    const result = await run(
      `thresholds:
  failure_rate: { threshold: "< 5%", abortOnFail: true, delayAbortEval: 200ms }`,
      { calls: 400, pacing: '40/s', failures: { http_5xx: '100%' }, args: ['--interval', '200ms'] },
    );
    expect(result.code).toBe(1);
    const summary = summaryOf(result.out);
    expect(summary.verdict).toBe('aborted');
    expect(summary.run.abortReason).toBe('threshold failure_rate: < 5%');
    expect(summary.thresholds[0]).toMatchObject({ aborted: true, passed: false });
    expect(summaryValidator()(summary)).toBe(true);
    expect(summary.calls.started).toBeLessThan(400);
    expect(summary.calls.started).toBeGreaterThanOrEqual(20);
    const html = readFileSync(path.join(result.out, 'report.html'), 'utf8');
    expect(html).toContain('The run stopped early: <strong>threshold failure_rate: &lt; 5%</strong>');
  });
});
