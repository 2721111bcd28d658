import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../src/results/types.js';
import { runSpec, startRun } from '../../src/run/engine.js';
import { CRASH_CALL_ENV } from '../../src/pool/test-hooks.js';
import { simSpec } from '../support/engine-spec.js';

function readCalls(outDir: string): CallOutcome[] {
  const text = readFileSync(path.join(outDir, 'calls.jsonl'), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as CallOutcome)
    .sort((a, b) => a.index - b.index);
}

/** The most calls in progress at once, from the outcomes' own start and end times. */
function peakOverlap(outcomes: readonly CallOutcome[]): number {
  const edges: [number, number][] = [];
  for (const o of outcomes) {
    if (o.startedAtMs === undefined) continue;
    edges.push([o.startedAtMs, 1], [o.endedAtMs, -1]);
  }
  // Ends before starts at the same instant: a freed line is reused, not overlapped.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let active = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    active += delta;
    peak = Math.max(peak, active);
  }
  return peak;
}

describe('run engine', () => {
  it('places every planned call and writes calls.jsonl, run.json and a summary', async () => {
    const { spec, dir } = await simSpec({ calls: 30, concurrency: 5, pacing: '100/s', failures: { http_5xx: '10%' } });
    const result = await runSpec(spec, { cwd: dir, out: 'out', intervalMs: 200 });
    const calls = readCalls(result.outDir);
    expect(result.outDir).toBe(path.join(dir, 'out'));
    expect(calls.map((c) => c.index)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(result.outcomes).toBe(30);
    const { calls: counts } = result.summary;
    expect(counts.planned).toBe(30);
    expect(counts.started).toBe(30);
    expect(counts.passed + counts.failed + counts.errored).toBe(30);
    expect(counts.errored).toBe(calls.filter((c) => c.status === 'error').length);
    expect(counts.errored).toBeGreaterThan(0);
    expect(result.summary.verdict).toBe('passed');
    expect(result.exitCode).toBe(0);
    for (const c of calls) expect(c.queueWaitMs).toBeGreaterThanOrEqual(0);
    const runFile = JSON.parse(readFileSync(path.join(result.outDir, 'run.json'), 'utf8')) as { spec: { name: string }; runId: string; endedAt?: string };
    expect(runFile.spec.name).toBe('engine-test');
    expect(runFile.endedAt).toBeDefined();
  });

  it('holds exactly the concurrency cap at peak: 2000 calls, 500 lines', async () => {
    const { spec, dir } = await simSpec({ calls: 2000, concurrency: 500, pacing: '1000/s', latency: { p50: '1s', p95: '1s' }, threads: 2 });
    const result = await runSpec(spec, { cwd: dir, out: 'out' });
    const calls = readCalls(result.outDir);
    expect(calls).toHaveLength(2000);
    expect(calls.every((c) => c.status === 'passed')).toBe(true);
    expect(result.summary.calls.peakActive).toBe(500);
    expect(peakOverlap(calls)).toBe(500);
    // Arrivals that found every line busy waited for one: coordinated omission is visible.
    expect(Math.max(...calls.map((c) => c.queueWaitMs))).toBeGreaterThan(1000);
  }, 60_000);

  it('queues arrivals while the lines are busy and records those that wait too long as dropped', async () => {
    // Two lines serve ~20 calls/s while 100/s arrive: the queue fills, the oldest waiters drop.
    const { spec, dir } = await simSpec({
      calls: 40,
      concurrency: 2,
      pacing: '100/s',
      latency: { p50: '100ms', p95: '100ms' },
      queueMaxWait: '300ms',
      scenarios: `scenarios:
  - name: one
    turns:
      - say: "hello"`,
    });
    const result = await runSpec(spec, { cwd: dir, out: 'out' });
    const calls = readCalls(result.outDir);
    expect(calls).toHaveLength(40);
    const dropped = calls.filter((c) => c.status === 'dropped');
    const started = calls.filter((c) => c.startedAtMs !== undefined);
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.length + started.length).toBe(40);
    // Queued arrivals started once a line was free, and their wait shows as queue_wait.
    expect(started.filter((c) => c.queueWaitMs > 50).length).toBeGreaterThan(0);
    for (const d of dropped) {
      expect(d.queueWaitMs).toBeGreaterThanOrEqual(299);
      expect(d.attempts).toBe(0);
      expect(d.errorCode).toBeUndefined();
    }
    expect(result.summary.calls.dropped).toBe(dropped.length);
    expect(result.summary.calls.peakActive).toBe(2);
    expect(peakOverlap(calls)).toBeLessThanOrEqual(2);
  });

  it('gives the same calls the same scenario, variant, persona and result on 1 or 2 threads', async () => {
    const options = { calls: 40, concurrency: 10, pacing: '200/s', latency: { p50: '5ms', p95: '20ms' }, failures: { http_5xx: '15%', connect_refused: '10%' } } as const;
    const one = await simSpec({ ...options, threads: 1 });
    const two = await simSpec({ ...options, threads: 2 });
    const a = readCalls((await runSpec(one.spec, { cwd: one.dir, out: 'out' })).outDir);
    const b = readCalls((await runSpec(two.spec, { cwd: two.dir, out: 'out' })).outDir);
    const view = (c: CallOutcome) => [c.index, c.scenario, c.variant, c.personaId, c.status, c.errorCode ?? '', c.turns.map((t) => t.said).join('|')].join(';');
    expect(a.map(view)).toEqual(b.map(view));
    expect(new Set(b.map((c) => c.threadId)).size).toBe(2);
    expect(new Set(a.map((c) => c.scenario)).size).toBe(2);
    expect(new Set(a.map((c) => c.status)).size).toBeGreaterThan(1);
  });

  it('retries calls the sim answers with 429, waiting its Retry-After, and records the attempts', async () => {
    const { spec, dir } = await simSpec({
      calls: 30,
      concurrency: 10,
      pacing: '200/s',
      latency: { p50: '1ms', p95: '2ms' },
      failures: { rate_limited: '40%' },
      extraLoad: '  retries: { attempts: 3, backoff: 1ms, maxBackoff: 2ms }',
      scenarios: `scenarios:
  - name: one
    turns:
      - say: "hello"`,
    });
    const calls = readCalls((await runSpec(spec, { cwd: dir, out: 'out' })).outDir);
    const retried = calls.filter((c) => c.attempts > 1);
    expect(retried.length).toBeGreaterThan(3);
    // Each retry waited the sim's Retry-After (50 ms), not the 1-2 ms backoff.
    for (const c of retried.filter((r) => r.status === 'passed')) expect(c.durationMs!).toBeGreaterThanOrEqual(50 * (c.attempts - 1) - 1);
    // Three 429s in a row use up the attempts: the call ends rate_limited.
    for (const c of calls.filter((r) => r.errorCode === 'rate_limited')) expect(c.attempts).toBe(3);
    expect(calls.filter((c) => c.status === 'passed').length).toBeGreaterThan(15);
  });

  it('survives a crashing worker: its calls are worker_crashed, the run goes on', async () => {
    const { spec, dir } = await simSpec({ calls: 30, concurrency: 4, pacing: '50/s', latency: { p50: '60ms', p95: '60ms' }, threads: 2 });
    const result = await runSpec(spec, { cwd: dir, out: 'out', workerEnv: { ...process.env, [CRASH_CALL_ENV]: '5' } });
    const calls = readCalls(result.outDir);
    expect(calls).toHaveLength(30);
    expect(calls[5]).toMatchObject({ status: 'error', errorCode: 'worker_crashed' });
    const crashed = calls.filter((c) => c.errorCode === 'worker_crashed');
    expect(crashed.length).toBeGreaterThanOrEqual(1);
    expect(crashed.length).toBeLessThanOrEqual(4);
    // Calls placed after the crash ran on a replacement thread and passed.
    expect(calls.slice(15).every((c) => c.status === 'passed')).toBe(true);
    expect(result.summary.calls.errored).toBe(crashed.length);
  });

  it('fails the run at once when the worker threads cannot load', async () => {
    const { spec, dir } = await simSpec({ calls: 5, threads: 1 });
    const started = Date.now();
    await expect(runSpec(spec, { cwd: dir, out: 'out', workerEnv: { ...process.env, [CRASH_CALL_ENV]: 'load' } })).rejects.toMatchObject({
      code: 'LOADSPEC_RUN_FAILED',
      message: expect.stringContaining('the worker fails to load'),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('abort() stops scheduling, hangs up calls in flight and marks the run aborted', async () => {
    const { spec, dir } = await simSpec({ calls: 1000, concurrency: 20, pacing: '50/s', latency: { p50: '5s', p95: '5s' } });
    let abortedAtMs = 0;
    const handle = startRun(spec, {
      cwd: dir,
      out: 'out',
      intervalMs: 100,
      reporters: [
        {
          name: 'stopper',
          onInterval: (snapshot) => {
            if (snapshot.started < 20 || abortedAtMs > 0) return;
            abortedAtMs = Date.now();
            handle.abort('interrupted');
          },
        },
      ],
    });
    const result = await handle.result;
    // Calls would take 5 s each; hanging them up takes far less.
    expect(Date.now() - abortedAtMs).toBeLessThan(3_000);
    expect(result.exitCode).toBe(130);
    expect(result.summary.verdict).toBe('aborted');
    expect(result.summary.run.abortReason).toBe('interrupted');
    const calls = readCalls(result.outDir);
    expect(calls.length).toBeGreaterThanOrEqual(20);
    expect(calls.length).toBeLessThan(100);
    // Every arrival so far is recorded: hung up in flight, or still waiting for a line.
    expect(calls.every((c) => c.errorCode === 'aborted')).toBe(true);
    const hungUp = calls.filter((c) => c.status === 'error');
    expect(hungUp).toHaveLength(20);
    expect(hungUp.every((c) => c.endedBy === 'loadspec' && c.turns.length === 0)).toBe(true);
    expect(calls.filter((c) => c.status === 'dropped').length).toBe(calls.length - 20);
  });

  it('at the duration cap lets calls finish within the grace period, then hangs up the rest', async () => {
    const { spec, dir } = await simSpec({
      calls: 1000,
      concurrency: 50,
      pacing: '20/s',
      latency: { p50: '200ms', p95: '3s' },
      extraLoad: '  maxDuration: 1s\n  gracePeriod: 400ms',
      scenarios: `scenarios:
  - name: one
    turns:
      - say: "hello"`,
    });
    const result = await runSpec(spec, { cwd: dir, out: 'out' });
    const calls = readCalls(result.outDir);
    expect(result.summary.run.abortReason).toBe('duration cap');
    expect(calls.length).toBeGreaterThanOrEqual(18);
    expect(calls.length).toBeLessThanOrEqual(22);
    expect(calls.some((c) => c.status === 'passed')).toBe(true);
    const aborted = calls.filter((c) => c.errorCode === 'aborted');
    for (const c of aborted) expect(c.endedAtMs - (c.startedAtMs ?? 0)).toBeGreaterThan(0);
    expect(result.exitCode).toBe(0);
  });
});
