import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeableClock } from '../../src/schedule/clock.js';
import { Gate } from '../../src/schedule/gate.js';

interface Started {
  readonly item: number;
  readonly waitedMs: number;
  readonly finish: () => void;
}

function makeGate(concurrency: number, queueMaxWaitMs: number) {
  const started: Started[] = [];
  const dropped: { item: number; waitedMs: number; reason: string }[] = [];
  const gate = new Gate<number>({
    concurrency,
    queueMaxWaitMs,
    clock: fakeableClock,
    onStart: (item, _due, waitedMs) =>
      new Promise<void>((resolve) => {
        started.push({ item, waitedMs, finish: resolve });
      }),
    onDrop: (item, _due, waitedMs, reason) => dropped.push({ item, waitedMs, reason }),
  });
  return { gate, started, dropped };
}

describe('gate', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never runs more than concurrency, and starts queued arrivals in FIFO order', async () => {
    vi.useFakeTimers({ now: 0 });
    const { gate, started, dropped } = makeGate(3, 10_000);
    for (let i = 0; i < 10; i++) gate.submit(i, 0);
    expect(gate.active).toBe(3);
    expect(gate.queued).toBe(7);
    vi.setSystemTime(250);
    started[1]!.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(started.map((s) => s.item)).toEqual([0, 1, 2, 3]);
    expect(started[3]!.waitedMs).toBe(250);
    let finished = 1;
    while (finished < 10) {
      const running = started.filter((_, i) => i !== 1).slice(finished - 1, finished);
      for (const s of running) s.finish();
      finished++;
      await vi.advanceTimersByTimeAsync(0);
      expect(gate.active).toBeLessThanOrEqual(3);
    }
    expect(started.map((s) => s.item)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(gate.peakActive).toBe(3);
    expect(dropped).toEqual([]);
  });

  it('drops arrivals that wait past queueMaxWait, counting from their due time', async () => {
    vi.useFakeTimers({ now: 1000 });
    const { gate, started, dropped } = makeGate(1, 500);
    gate.submit(0, 1000);
    gate.submit(1, 1000);
    await vi.advanceTimersByTimeAsync(200);
    gate.submit(2, 1200);
    await vi.advanceTimersByTimeAsync(299);
    expect(dropped).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(dropped).toEqual([{ item: 1, waitedMs: 500, reason: 'queue_timeout' }]);
    expect(gate.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    started[0]!.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(started.map((s) => [s.item, s.waitedMs])).toEqual([
      [0, 0],
      [2, 400],
    ]);
    expect(gate.queued).toBe(0);
  });

  it('accounts for every arrival: started + dropped = submitted', async () => {
    vi.useFakeTimers({ now: 0 });
    const { gate, started, dropped } = makeGate(5, 100);
    for (let i = 0; i < 200; i++) {
      gate.submit(i, Date.now());
      await vi.advanceTimersByTimeAsync(7);
      // Calls last 40 ms: the gate saturates and the queue overflows.
      for (const s of started.filter((x) => x.item <= i - 6)) s.finish();
    }
    await vi.advanceTimersByTimeAsync(1000);
    for (const s of started) s.finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(started.length + dropped.length).toBe(200);
    expect(dropped.length).toBeGreaterThan(0);
    expect(new Set([...started.map((s) => s.item), ...dropped.map((d) => d.item)]).size).toBe(200);
    expect(gate.peakActive).toBe(5);
    await gate.whenIdle();
  });

  it('close() drops what is queued and refuses new arrivals', async () => {
    vi.useFakeTimers({ now: 0 });
    const { gate, started, dropped } = makeGate(1, 10_000);
    gate.submit(0, 0);
    gate.submit(1, 0);
    await vi.advanceTimersByTimeAsync(30);
    gate.close();
    gate.submit(2, 30);
    expect(dropped).toEqual([
      { item: 1, waitedMs: 30, reason: 'closed' },
      { item: 2, waitedMs: 0, reason: 'closed' },
    ]);
    const idle = gate.whenIdle();
    started[0]!.finish();
    await idle;
    expect(gate.active).toBe(0);
  });
});
