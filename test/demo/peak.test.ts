/**
 * The README's first command: `loadspec run specs/peak.yaml` against the bundled demo
 * receptionist (websocket, `url: builtin`), through the real CLI. It takes about as long
 * as the spec's phases (a minute), and must finish with every threshold passing and 100
 * calls on the line at the peak.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { CallOutcome } from '../../src/results/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.join(mkdtempSync(path.join(tmpdir(), 'loadspec-peak-')), 'results');
afterAll(() => rmSync(path.dirname(out), { recursive: true, force: true }));

/** The most calls in progress at one instant, from their start and end times. */
function peakConcurrency(outcomes: readonly CallOutcome[]): number {
  const edges = outcomes
    .filter((outcome) => outcome.startedAtMs !== undefined)
    .flatMap((outcome) => [
      [outcome.startedAtMs!, 1],
      [outcome.endedAtMs, -1],
    ])
    .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let active = 0;
  let peak = 0;
  for (const [, step] of edges) {
    active += step!;
    peak = Math.max(peak, active);
  }
  return peak;
}

it('runs specs/peak.yaml to completion with 100 calls at once at the peak, and passes', async () => {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'loadspec.js'), 'run', 'specs/peak.yaml', '--out', out, '--live', 'off'], { cwd: root });
  // --live off still prints the end-of-run summary, which names peak_active.
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const outcomes = readFileSync(path.join(out, 'calls.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as CallOutcome);
  expect(outcomes).toHaveLength(1328);
  // The engine's own count of calls at once, and the same seen from the calls' start and
  // end times (taken on different threads' clocks, hence the small allowance).
  expect(/peak_active\s+(\d+)/.exec(stdout)?.[1]).toBe('100');
  expect(peakConcurrency(outcomes)).toBeGreaterThanOrEqual(98);
  expect(peakConcurrency(outcomes)).toBeLessThanOrEqual(101);
  const passed = outcomes.filter((outcome) => outcome.status === 'passed').length;
  expect(passed / outcomes.length).toBeGreaterThan(0.95);
  expect(new Set(outcomes.map((outcome) => outcome.scenario))).toEqual(new Set(['scheduling', 'refill', 'rescheduling', 'office-hours']));
  expect(stdout).toMatch(/PASSED/);
}, 240_000);
