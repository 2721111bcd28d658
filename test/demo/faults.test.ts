/**
 * The demo receptionist's injected faults, seen through the real drivers: each fault
 * ends the call with the code the report will show, and the demo still sees every call end.
 * Also its capacity: turns beyond the slots wait in FIFO order.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { HttpDriver } from '../../src/drivers/http.js';
import { WebSocketDriver } from '../../src/drivers/websocket.js';
import { startDemoServer } from '../../src/demo/server.js';
import type { DemoFault } from '../../src/spec/types.js';
import { httpTarget, makeJob, playCall, wsTarget } from '../support/driver-fixture.js';

const http = new HttpDriver();
const ws = new WebSocketDriver();
afterAll(() => Promise.all([http.close(), ws.close()]));

async function settle(condition: () => boolean): Promise<void> {
  const until = Date.now() + 2_000;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
}

const EXPECTED: readonly (readonly [DemoFault, string, string])[] = [
  ['http_5xx', 'http_5xx', 'http_5xx'],
  ['rate_limited', 'rate_limited', 'rate_limited'],
  ['drop', 'connection_reset', 'connection_reset'],
  ['hang', 'timeout', 'timeout'],
  ['garbage', 'protocol', 'protocol'],
];

describe.each(EXPECTED)('demo fault %s', (fault, httpCode, wsCode) => {
  it.each([
    ['http', httpCode],
    ['http sse', httpCode],
    ['websocket', wsCode],
  ])('over %s ends the call with %s, and the call still ends', async (transport, code) => {
    const demo = await startDemoServer({ latencyMs: 5, jitterMs: 0, faults: { [fault]: 1 } });
    try {
      const base = httpTarget(demo.url, { turnTimeoutMs: 300 });
      const target =
        transport === 'websocket'
          ? wsTarget(demo.wsUrl, { turnTimeoutMs: 300 })
          : transport === 'http sse'
            ? { ...base, turn: { ...base.turn, stream: 'sse' as const, reply: '/delta' } }
            : base;
      const call = await playCall(transport === 'websocket' ? ws : http, target, ['Hello, I need a refill.']);
      expect(call.error?.code).toBe(code);
      if (code === 'rate_limited' && transport !== 'websocket') expect(call.error?.retryAfterMs).toBe(1_000);
      await settle(() => demo.stats().active === 0);
      expect(demo.stats()).toMatchObject({ callsBegun: 1, callsEnded: 1, active: 0, turns: 1 });
      expect(demo.stats().faults[fault]).toBe(1);
    } finally {
      await demo.close();
    }
  });
});

describe('demo faults by rate', () => {
  it('inject about the share asked for, the same turns for the same seed', async () => {
    const run = async (): Promise<string[]> => {
      const demo = await startDemoServer({ latencyMs: 0, jitterMs: 0, seed: 7, faults: { http_5xx: 0.3 } });
      try {
        const codes: string[] = [];
        for (let i = 0; i < 40; i++) {
          const call = await playCall(http, httpTarget(demo.url), ['What are your hours?'], makeJob(i));
          codes.push(call.error?.code ?? 'ok');
        }
        expect(demo.stats().callsEnded).toBe(40);
        return codes;
      } finally {
        await demo.close();
      }
    };
    const first = await run();
    const failures = first.filter((code) => code === 'http_5xx').length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(25);
    expect(first.filter((code) => code !== 'ok' && code !== 'http_5xx')).toEqual([]);
    expect(await run()).toEqual(first);
  });
});

describe('demo capacity', () => {
  it('serves `capacity` turns at once and queues the rest in arrival order', async () => {
    const demo = await startDemoServer({ latencyMs: 60, jitterMs: 0, capacity: 2 });
    try {
      const calls = await Promise.all(
        Array.from({ length: 6 }, (_, i) => playCall(http, httpTarget(demo.url), ['What are your hours?'], makeJob(i))),
      );
      expect(calls.every((call) => call.error === undefined)).toBe(true);
      expect(demo.stats().maxQueued).toBe(4);
      const waits = calls.map((call) => call.replies[0]!.firstByteAtMs - call.replies[0]!.sentAtMs).sort((a, b) => a - b);
      // Six turns through two slots of 60 ms: the last pair waited for two pairs before it.
      expect(waits[5]).toBeGreaterThanOrEqual(170);
      expect(waits[0]).toBeGreaterThanOrEqual(55);
    } finally {
      await demo.close();
    }
  });
});
