import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../src/results/types.js';
import { simSpecYaml, tempDir, type SimSpecOptions } from '../support/engine-spec.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'loadspec.js');

interface Child {
  readonly exit: Promise<number | null>;
  readonly output: () => { stdout: string; stderr: string };
  signal(name: NodeJS.Signals): void;
}

function startCli(args: readonly string[], cwd: string): Child {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  void exit.then(() => clearTimeout(timer));
  return { exit, output: () => ({ stdout, stderr }), signal: (name) => child.kill(name) };
}

function writeSpec(o: SimSpecOptions): { dir: string; file: string } {
  const dir = tempDir('loadspec-cli-');
  const file = path.join(dir, 'spec.yaml');
  writeFileSync(file, simSpecYaml(o));
  return { dir, file };
}

/** Parses calls.jsonl strictly: every line must be one complete JSON outcome. */
function parseCalls(file: string): CallOutcome[] {
  const text = readFileSync(file, 'utf8');
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as CallOutcome);
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function lineCount(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0;
}

describe('loadspec run (the real CLI)', () => {
  it('runs a sim spec to the end, prints the summary and writes calls.jsonl', async () => {
    const { dir } = writeSpec({ calls: 25, concurrency: 5, pacing: '100/s' });
    const child = startCli(['run', 'spec.yaml', '--live', 'off', '--out', 'out', '--calls', '12', '--threads', '1'], dir);
    expect(await child.exit).toBe(0);
    const { stdout } = child.output();
    expect(stdout).toContain('PASSED');
    expect(stdout).toContain(path.join(dir, 'out'));
    const calls = parseCalls(path.join(dir, 'out', 'calls.jsonl'));
    expect(calls.map((c) => c.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const run = JSON.parse(readFileSync(path.join(dir, 'out', 'run.json'), 'utf8')) as { settings: { calls: number; overridden: string[] } };
    expect(run.settings.calls).toBe(12);
    expect(run.settings.overridden).toEqual(expect.arrayContaining(['calls', 'threads', 'outDir']));
  });

  it('runs the shipped specs/smoke.yaml', async () => {
    const dir = tempDir('loadspec-cli-');
    const child = startCli(['run', path.join(ROOT, 'specs', 'smoke.yaml'), '--live', 'off', '--out', 'smoke'], dir);
    expect(await child.exit).toBe(0);
    expect(child.output().stdout).toMatch(/smoke · PASSED/);
    const calls = parseCalls(path.join(dir, 'smoke', 'calls.jsonl'));
    expect(calls).toHaveLength(50);
    expect(calls.every((c) => c.status === 'passed')).toBe(true);
  });

  it('refuses to run without a spec (exit 2) and into a folder that already holds results', async () => {
    const { dir } = writeSpec({ calls: 2 });
    const usage = startCli(['run'], dir);
    expect(await usage.exit).toBe(2);
    expect(usage.output().stderr).toContain('name one spec file');
    const first = startCli(['run', 'spec.yaml', '--live', 'off', '--out', 'out', '--threads', '1'], dir);
    expect(await first.exit).toBe(0);
    const again = startCli(['run', 'spec.yaml', '--live', 'off', '--out', 'out', '--threads', '1'], dir);
    expect(await again.exit).toBe(2);
    expect(again.output().stderr).toContain('already holds the results');
  });

  it('on Ctrl-C hangs up, writes every call that ended and exits 130', async () => {
    const { dir } = writeSpec({ calls: 2000, concurrency: 30, pacing: '40/s', latency: { p50: '150ms', p95: '3s' }, threads: 1 });
    const callsFile = path.join(dir, 'out', 'calls.jsonl');
    const child = startCli(['run', 'spec.yaml', '--live', 'lines', '--out', 'out'], dir);
    await waitFor(() => lineCount(callsFile) >= 5, 20_000);
    child.signal('SIGINT');
    expect(await child.exit).toBe(130);
    const { stdout, stderr } = child.output();
    expect(stderr).toContain('stopping');
    expect(stdout).toContain('ABORTED');
    const calls = parseCalls(callsFile);
    // Every arrival that fired is there, once: the calls that ended, and those hung up or still queued.
    const indexes = calls.map((c) => c.index).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: indexes.length }, (_, i) => i));
    expect(calls.some((c) => c.status === 'passed')).toBe(true);
    expect(calls.some((c) => c.errorCode === 'aborted')).toBe(true);
    expect(calls.length).toBeLessThan(2000);
    const run = JSON.parse(readFileSync(path.join(dir, 'out', 'run.json'), 'utf8')) as { abortReason?: string };
    expect(run.abortReason).toBe('interrupted');
  });

  it('a second Ctrl-C quits at once, leaving calls.jsonl whole', async () => {
    const { dir } = writeSpec({ calls: 2000, concurrency: 30, pacing: '40/s', latency: { p50: '150ms', p95: '3s' }, threads: 1 });
    // A reporter that takes 20 s to finish keeps the orderly stop busy, as a slow upload would.
    writeFileSync(path.join(dir, 'slow.mjs'), 'export default { name: "slow", onEnd: () => new Promise((r) => setTimeout(r, 20000)) };\n');
    const callsFile = path.join(dir, 'out', 'calls.jsonl');
    const child = startCli(['run', 'spec.yaml', '--live', 'off', '--out', 'out', '--reporter', './slow.mjs'], dir);
    await waitFor(() => lineCount(callsFile) >= 5, 20_000);
    child.signal('SIGINT');
    await waitFor(() => child.output().stderr.includes('stopping'), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const secondAt = Date.now();
    child.signal('SIGINT');
    expect(await child.exit).toBe(130);
    expect(Date.now() - secondAt).toBeLessThan(5_000);
    expect(child.output().stderr).toContain('quitting now');
    const calls = parseCalls(callsFile);
    expect(calls.length).toBeGreaterThanOrEqual(5);
    expect(new Set(calls.map((c) => c.index)).size).toBe(calls.length);
  });
});
