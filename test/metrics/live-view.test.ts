import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RunMetrics } from '../../src/metrics/run-metrics.js';
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js';
import { LiveReporter } from '../../src/report/live/live-reporter.js';
import { renderLine, renderPanel } from '../../src/report/live/panel.js';
import { CLEAR_BELOW, CLEAR_LINE, cursorUp, HIDE_CURSOR, SHOW_CURSOR, TerminalPainter } from '../../src/report/live/terminal.js';
import type { LiveSnapshot, RunInfo } from '../../src/report/reporter.js';
import { metricsSpec, outcome, runInfo } from './fixtures.js';

const START = 1_700_000_000_000;
const spec = metricsSpec({ calls: 40, phases: [{ durationMs: 20_000, ratePerSec: 2, rampToPerSec: 2 }] });

/** A run in which call i starts at i*500 ms and lasts 2 s; `second` seconds have passed. */
function runAt(second: number): { run: RunMetrics; snapshot: LiveSnapshot } {
  const run = new RunMetrics({ spec, runStartMs: START, intervalMs: 1000, planned: 40, sampleResources: false });
  const w = new WorkerMetrics({ runStartMs: START, intervalMs: 1000 });
  const now = START + second * 1000;
  for (let i = 0; i < 40; i++) {
    const start = START + i * 500;
    if (start > now) break;
    const o = outcome({ index: i, dueAtMs: start, startedAtMs: start, endedAtMs: start + 2000, responseMs: [100 + i * 10], status: i % 10 === 9 ? 'error' : 'passed', ...(i % 10 === 9 ? { errorCode: 'timeout' } : {}) });
    w.callStarted({ scenario: o.scenario, variant: o.variant, persona: {} }, start, 0);
    for (const t of o.turns) if (t.endAtMs! <= now) w.turnEnded({ scenario: o.scenario, variant: o.variant, persona: {} }, t);
    if (o.endedAtMs <= now) w.callEnded(o);
  }
  run.merge({ threadId: 1, intervals: w.drain(true) });
  run.recordGauges({ atMs: now, active: 4, peakActive: 5, queued: 1, targetStarts: 2, poolUtilization: 0.5 });
  return { run, snapshot: run.live(now) };
}

function fakeTty(columns = 120): PassThrough & { columns: number; isTTY: boolean; written: () => string } {
  const stream = new PassThrough() as PassThrough & { columns: number; isTTY: boolean; written: () => string };
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return Object.assign(stream, { columns, isTTY: true, written: () => chunks.join('') });
}

const info = { runId: 'r1', spec, outDir: '/tmp/results/run-1', startedAtMs: START, intervalMs: 1000, threads: 2, settings: {} } as RunInfo;

describe('live panel', () => {
  it('shows every live number of the snapshot', () => {
    const { snapshot } = runAt(6);
    // The interval that just closed may still be on its way from a worker: "last" is the one before.
    expect(snapshot.last?.index).toBe(4);
    const text = renderPanel(snapshot, { specName: 'metrics-test', threads: 2, columns: 200 }).join('\n');
    expect(text).toContain('00:06 / 00:20');
    expect(text).toMatch(/started\s+13 \/ 40\s+active +4 \(peak +5\)\s+queued +1/);
    expect(text).toMatch(/start rate\s+2\.0\/s\s+target +2\.0\/s/);
    expect(text).toMatch(/passed\s+9\s+failed +0 {2}errored +0 {2}dropped +0\s+success 100%/);
    expect(runAt(8).snapshot.errors).toEqual({ timeout: 1 });
    expect(renderPanel(runAt(8).snapshot, { specName: 'x', columns: 200 }).join('\n')).toMatch(/errored +1 .*success 92\.3%[^]*errors +timeout 1/);
    expect(text).toMatch(/whole run\s+\d+ ms/);
    expect(text).toMatch(/loadspec +cpu 0%/);
    expect(text).not.toContain('understate');
  });

  it('redraws in place on a terminal: same height, cursor up, lines cleared, cursor restored, summary left', async () => {
    const tty = fakeTty();
    let clock = 0;
    const live = new LiveReporter({ mode: 'tty', stdout: tty, liveIntervalMs: 10_000, redrawMs: 60_000, now: () => clock });
    live.onBegin(info);
    const frames: string[] = [];
    for (const second of [2, 4, 6]) {
      const before = tty.written().length;
      clock = second * 1000;
      live.onInterval(runAt(second).snapshot);
      await new Promise((r) => setImmediate(r));
      frames.push(tty.written().slice(before));
    }
    const height = renderPanel(runAt(2).snapshot, { specName: spec.name, threads: 2, columns: 120 }).length;
    expect(frames[0]!.startsWith(HIDE_CURSOR)).toBe(true);
    expect(frames[0]).not.toContain(cursorUp(height));
    for (const frame of frames.slice(1)) {
      expect(frame.startsWith(`${cursorUp(height)}\r`)).toBe(true);
      expect(frame.split(CLEAR_LINE).length - 1).toBe(height);
      expect(frame).not.toContain(HIDE_CURSOR);
    }
    // The numbers move from frame to frame.
    expect(frames.map((f) => /started\s+(\d+) \/ 40/.exec(f)?.[1])).toEqual(['5', '9', '13']);

    const { run } = runAt(6);
    const before = tty.written().length;
    live.onEnd(run.summary({ verdict: 'passed', thresholds: [], run: runInfo(START) }));
    await new Promise((r) => setImmediate(r));
    const end = tty.written().slice(before);
    expect(end.startsWith(`${cursorUp(height)}\r${CLEAR_BELOW}${SHOW_CURSOR}`)).toBe(true);
    expect(end).toContain('loadspec · metrics-test · PASSED');
    expect(end).toContain('results      /tmp/results/run-1');
    live.onExit();
  });

  it('keeps the clock moving between snapshots and cuts lines to the terminal width', async () => {
    const tty = fakeTty(40);
    let clock = 0;
    const live = new LiveReporter({ mode: 'tty', stdout: tty, liveIntervalMs: 10_000, redrawMs: 20, now: () => clock });
    live.onBegin(info);
    live.onInterval(runAt(2).snapshot);
    clock = 3500;
    await new Promise((r) => setTimeout(r, 120));
    live.onExit();
    await new Promise((r) => setImmediate(r));
    const text = tty.written();
    expect(text).toContain('00:05 / 00:20');
    for (const line of text.split('\n')) expect([...line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace('\r', '')].length).toBeLessThanOrEqual(40);
    expect(text.endsWith(SHOW_CURSOR)).toBe(true);
  });

  it('warns when loadspec itself is saturated', () => {
    const { snapshot } = runAt(2);
    expect(renderPanel({ ...snapshot, saturated: true, cpuPercent: 190 }, { specName: 'x', columns: 200 }).at(-1)).toContain('may understate the target');
    expect(renderLine({ ...snapshot, saturated: true })).toContain('SATURATED');
  });
});

describe('live lines and json', () => {
  it('prints one compact line per --live-interval when not on a terminal, then the summary', async () => {
    const out = fakeTty();
    out.isTTY = false;
    const live = new LiveReporter({ mode: 'lines', stdout: out, liveIntervalMs: 3000 });
    live.onBegin(info);
    for (const second of [1, 2, 3, 4, 5, 6, 7]) live.onInterval(runAt(second).snapshot);
    live.onEnd(runAt(7).run.summary({ verdict: 'failed', thresholds: [], run: runInfo(START) }));
    await new Promise((r) => setImmediate(r));
    const lines = out.written().split('\n');
    const live_ = lines.filter((l) => l.startsWith('['));
    expect(live_.map((l) => l.slice(0, 13))).toEqual(['[00:03/00:20]', '[00:06/00:20]']);
    expect(live_[1]).toMatch(/started 13\/40 \| active 4 \(peak 5\) \| queued 1 \| rate 2\.0\/s \(target 2\.0\/s\)/);
    expect(out.written()).not.toContain('\x1b[');
    expect(out.written()).toContain('loadspec · metrics-test · FAILED');
  });

  it('writes one JSON object per interval and one at the end', async () => {
    const out = fakeTty();
    const live = new LiveReporter({ mode: 'json', stdout: out, liveIntervalMs: 10_000 });
    live.onBegin(info);
    live.onInterval(runAt(2).snapshot);
    live.onInterval(runAt(3).snapshot);
    live.onEnd(runAt(3).run.summary({ verdict: 'passed', thresholds: [], run: runInfo(START) }));
    await new Promise((r) => setImmediate(r));
    const objects = out.written().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.map((o) => o.type)).toEqual(['interval', 'interval', 'end']);
    expect(objects.map((o) => o.started)).toEqual([5, 7, undefined]);
    expect((objects[2]!.calls as { started: number }).started).toBe(7);
    expect(objects[2]!.outDir).toBe('/tmp/results/run-1');
  });
});

describe('TerminalPainter', () => {
  it('prints stderr lines above the panel and redraws it below them, then gives stderr back', () => {
    const log: string[] = [];
    const out = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    const err = Object.assign(new PassThrough(), { isTTY: true });
    out.write = ((chunk: string) => (log.push(`out:${chunk}`), true)) as typeof out.write;
    const originalErrWrite = ((chunk: string) => (log.push(`err:${chunk}`), true)) as typeof err.write;
    err.write = originalErrWrite;
    const painter = new TerminalPainter(out, err);
    painter.paint(['line one', 'line two']);
    log.length = 0;
    err.write('loadspec: a warning\n');
    expect(log).toEqual([`out:${cursorUp(2)}\r${CLEAR_BELOW}`, 'err:loadspec: a warning\n', `out:${CLEAR_LINE}line one\n${CLEAR_LINE}line two\n`]);
    painter.clear();
    expect(err.write).toBe(originalErrWrite);
    expect(log.at(-1)).toBe(`out:${SHOW_CURSOR}`);
  });

  it('moves up over every row a wrapped line takes after the terminal narrows', () => {
    const out = fakeTty(80);
    const painter = new TerminalPainter(out);
    painter.paint(['x'.repeat(70), 'short']);
    out.columns = 30;
    const before = out.written().length;
    painter.paint(['x'.repeat(29), 'short']);
    painter.clear();
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        // 70 characters on a 30-column terminal take 3 rows, plus one for "short".
        expect(out.written().slice(before).startsWith(`${cursorUp(4)}\r`)).toBe(true);
        resolve();
      }),
    );
  });
});
