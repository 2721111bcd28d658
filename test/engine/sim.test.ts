import { describe, expect, it } from 'vitest';
import { logNormalFit, SimDriver } from '../../src/drivers/sim.js';
import type { CallJob } from '../../src/plan/types.js';
import type { SimTargetSpec } from '../../src/spec/types.js';
import { createRng } from '../../src/plan/prng.js';

function target(over: Partial<SimTargetSpec> = {}): SimTargetSpec {
  return { driver: 'sim', turnTimeoutMs: 5_000, maxReplyBytes: 1e6, latency: { p50Ms: 20, p95Ms: 60 }, replyDurationMs: 0, capacity: 1000, failures: {}, ...over };
}

function job(index: number, callSeed = index * 7919 + 1): CallJob {
  return { index, id: `c-${index}`, scenarioIndex: 0, scenario: 's', variantIndex: 0, variant: 'v', persona: { id: 'p', fields: {} }, dueOffsetMs: 0, callSeed };
}

const never = new AbortController().signal;

describe('sim driver', () => {
  it('draws response times whose p50 and p95 match the spec', () => {
    const driver = new SimDriver(target({ latency: { p50Ms: 200, p95Ms: 800 } }));
    const rng = createRng(42);
    const draws = Array.from({ length: 20_000 }, () => driver.responseMs(rng)).sort((a, b) => a - b);
    expect(draws[10_000]!).toBeGreaterThan(190);
    expect(draws[10_000]!).toBeLessThan(210);
    expect(draws[19_000]!).toBeGreaterThan(740);
    expect(draws[19_000]!).toBeLessThan(860);
    expect(draws[0]!).toBeGreaterThan(0);
    expect(logNormalFit(0, 0)).toBeUndefined();
  });

  it('replies in real time, echoing the caller, with consistent timings', async () => {
    const driver = new SimDriver(target({ latency: { p50Ms: 30, p95Ms: 30 }, replyDurationMs: 20 }));
    const session = await driver.open({ job: job(1), target: target({ latency: { p50Ms: 30, p95Ms: 30 }, replyDurationMs: 20 }), signal: never });
    const reply = await session.turn({ kind: 'text', text: 'I need a refill of metformin' }, never);
    expect(reply.text).toContain('I need a refill of metformin');
    expect(reply.firstByteAtMs - reply.sentAtMs).toBeGreaterThanOrEqual(28);
    expect(reply.endAtMs - reply.firstByteAtMs).toBeGreaterThanOrEqual(18);
    expect(reply.agentHungUp).toBe(false);
    await session.hangup();
  });

  it('is deterministic per call seed: same failures and replies on any driver instance', async () => {
    const t = target({ latency: { p50Ms: 0, p95Ms: 0 }, failures: { http_5xx: 0.3, connect_refused: 0.2 } });
    async function play(driver: SimDriver, j: CallJob): Promise<string> {
      try {
        const session = await driver.open({ job: j, target: t, signal: never });
        const parts: string[] = [];
        for (let i = 0; i < 3; i++) parts.push((await session.turn({ kind: 'text', text: `line ${i}` }, never)).text);
        return parts.join('|');
      } catch (error) {
        return `error:${(error as { code: string }).code}`;
      }
    }
    const first = await Promise.all(Array.from({ length: 60 }, (_, i) => play(new SimDriver(t), job(i))));
    const shared = new SimDriver(t);
    const second = await Promise.all(Array.from({ length: 60 }, (_, i) => play(shared, job(i))).reverse());
    expect(second.reverse()).toEqual(first);
    expect(first.filter((r) => r === 'error:connect_refused').length).toBeGreaterThan(3);
    expect(first.filter((r) => r === 'error:http_5xx').length).toBeGreaterThan(3);
    expect(first.filter((r) => !r.startsWith('error')).length).toBeGreaterThan(10);
  });

  it('queues turns beyond its capacity, so latency rises past the knee', async () => {
    const t = target({ latency: { p50Ms: 100, p95Ms: 100 }, capacity: 2 });
    const driver = new SimDriver(t);
    const sessions = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => driver.open({ job: job(i), target: t, signal: never })));
    const replies = await Promise.all(sessions.map((s) => s.turn({ kind: 'text', text: 'hi' }, never)));
    const waits = replies.map((r) => r.firstByteAtMs - r.sentAtMs).sort((a, b) => a - b);
    // Two at a time: about 100, 100, 200, 200, 300, 300 ms (lower bounds hold on any machine).
    expect(waits[2]!).toBeGreaterThanOrEqual(195);
    expect(waits[5]!).toBeGreaterThanOrEqual(290);
    expect(waits[5]! - waits[0]!).toBeGreaterThan(150);
  });

  it('answers 429 with a Retry-After, and stops a turn when the call is cancelled', async () => {
    const limited = target({ failures: { rate_limited: 1 } });
    const session = await new SimDriver(limited).open({ job: job(3), target: limited, signal: never });
    await expect(session.turn({ kind: 'text', text: 'hi' }, never)).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 50 });

    const slow = target({ latency: { p50Ms: 10_000, p95Ms: 10_000 } });
    const controller = new AbortController();
    const call = await new SimDriver(slow).open({ job: job(4), target: slow, signal: controller.signal });
    const turn = call.turn({ kind: 'text', text: 'hi' }, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await expect(turn).rejects.toMatchObject({ code: 'aborted' });
  });

  it('at zero latency answers without timers', async () => {
    const t = target({ latency: { p50Ms: 0, p95Ms: 0 } });
    const driver = new SimDriver(t);
    const session = await driver.open({ job: job(5), target: t, signal: never });
    let timerFired = false;
    const timer = setTimeout(() => (timerFired = true), 0);
    for (let i = 0; i < 1000; i++) await session.turn({ kind: 'text', text: 'x' }, never);
    // A thousand turns finished before a 0 ms timer could fire: none of them waited on one.
    expect(timerFired).toBe(false);
    clearTimeout(timer);
  });
});
