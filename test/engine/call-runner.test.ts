import { describe, expect, it } from 'vitest';
import { CallError } from '../../src/errors.js';
import { SimDriver } from '../../src/drivers/sim.js';
import { nowMs, type AgentReply, type CallSession, type Driver } from '../../src/drivers/types.js';
import { createPlan } from '../../src/plan/plan.js';
import type { CallJob } from '../../src/plan/types.js';
import { runCall, type CallRunnerDeps } from '../../src/pool/call-runner.js';
import type { Spec } from '../../src/spec/types.js';
import { simSpec } from '../support/engine-spec.js';

const never = new AbortController().signal;

function firstJob(spec: Spec, scenario: string): CallJob {
  for (const job of createPlan(spec)) if (job.scenario === scenario) return job;
  throw new Error(`no ${scenario} call in the plan`);
}

function simDeps(spec: Spec): CallRunnerDeps {
  const driver = new SimDriver(spec.target as never);
  return { spec, driverFor: () => driver, threadId: 0 };
}

/** A driver scripted by a function per turn, recording hang-ups. */
function fakeDriver(turn: (n: number, signal: AbortSignal) => Promise<Partial<AgentReply>>, log: string[] = []): Driver {
  return {
    async open() {
      log.push('open');
      let n = 0;
      const session: CallSession = {
        connectedAtMs: nowMs(),
        async turn(_u, signal) {
          const sentAtMs = nowMs();
          const r = await turn(n++, signal);
          return { text: 'ok, an appointment', sentAtMs, firstByteAtMs: nowMs(), endAtMs: nowMs(), agentHungUp: false, ...r };
        },
        async hangup() {
          log.push('hangup');
        },
      };
      return session;
    },
    async close() {},
  };
}

describe('call runner', () => {
  it('plays a scripted call on the sim driver and passes its checks', async () => {
    const { spec } = await simSpec();
    const job = firstJob(spec, 'book');
    const outcome = await runCall(job, nowMs(), simDeps(spec), never);
    expect(outcome).toMatchObject({ status: 'passed', scenario: 'book', endedBy: 'caller', attempts: 1, index: job.index, id: job.id });
    expect(outcome.turns).toHaveLength(2);
    expect(outcome.turns[0]!.said).toMatch(/^Hi, this is (Maria|James|Aiko|Tomasz), I'd like an appointment$/);
    expect(outcome.turns[0]!.reply).toContain(outcome.turns[0]!.said);
    expect(outcome.turns[0]!.responseMs).toBeGreaterThan(0);
    expect(outcome.connectMs).toBeGreaterThanOrEqual(0);
    expect(outcome.durationMs).toBeGreaterThan(0);
  });

  it('fails a call whose checks do not hold, after playing it to the end', async () => {
    const { spec } = await simSpec({
      scenarios: `scenarios:
  - name: strict
    turns:
      - say: "hello"
        expect: { contains: ["cancelled"] }
      - say: "bye"
    expect: { maxTurns: 1 }`,
    });
    const outcome = await runCall(firstJob(spec, 'strict'), nowMs(), simDeps(spec), never);
    expect(outcome.status).toBe('failed');
    expect(outcome.errorCode).toBe('check_failed');
    expect(outcome.turns).toHaveLength(2);
    expect(outcome.checkFailures.map((f) => f.check)).toEqual(['turn 1: contains "cancelled"', 'call: maxTurns 1']);
  });

  it('hangs up in a finally, also when a turn fails, and classifies the error', async () => {
    const { spec } = await simSpec();
    const log: string[] = [];
    const driver = fakeDriver(async (n) => {
      if (n === 1) throw new CallError('http_5xx', 'boom');
      return {};
    }, log);
    const outcome = await runCall(firstJob(spec, 'book'), nowMs(), { spec, driverFor: () => driver, threadId: 3 }, never);
    expect(outcome).toMatchObject({ status: 'error', errorCode: 'http_5xx', endedBy: 'loadspec', threadId: 3 });
    expect(outcome.turns).toHaveLength(1);
    expect(log).toEqual(['open', 'hangup']);

    const buggy = fakeDriver(async () => {
      throw new TypeError('undefined is not a function');
    });
    const internal = await runCall(firstJob(spec, 'book'), nowMs(), { spec, driverFor: () => buggy, threadId: 0 }, never);
    expect(internal).toMatchObject({ status: 'error', errorCode: 'internal' });
    expect(internal.errorMessage).toContain('undefined is not a function');
  });

  it('retries a 429 turn honouring Retry-After and counts the attempts', async () => {
    const { spec } = await simSpec();
    let limited = 0;
    const driver = fakeDriver(async (n) => {
      if (limited++ < 2) throw new CallError('rate_limited', '429', { retryAfterMs: 40 });
      return {};
    });
    const started = nowMs();
    const outcome = await runCall(firstJob(spec, 'book'), started, { spec, driverFor: () => driver, threadId: 0 }, never);
    expect(outcome.status).toBe('passed');
    expect(outcome.attempts).toBe(3);
    expect(outcome.endedAtMs - started).toBeGreaterThanOrEqual(78);
  });

  it('ends with hangup_early when the agent is slower than the persona’s patience', async () => {
    const { spec } = await simSpec({
      latency: { p50: '80ms', p95: '80ms' },
      scenarios: `scenarios:
  - name: impatient
    turns:
      - say: "hello"
      - say: "still there?"`,
    });
    const patient = { ...spec, personas: spec.personas };
    const job0 = firstJob(patient, 'impatient');
    const job = { ...job0, persona: { ...job0.persona, patienceMs: 30 } };
    const outcome = await runCall(job, nowMs(), simDeps(spec), never);
    expect(outcome).toMatchObject({ status: 'error', errorCode: 'hangup_early', endedBy: 'caller' });
    expect(outcome.turns).toHaveLength(1);
  });

  it('times out at callTimeout and is aborted by cancellation, hanging up both times', async () => {
    const { spec } = await simSpec({ callTimeout: '60ms' });
    const log: string[] = [];
    const stuck = fakeDriver((_n, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('socket destroyed')))), log);
    const timedOut = await runCall(firstJob(spec, 'book'), nowMs(), { spec, driverFor: () => stuck, threadId: 0 }, never);
    expect(timedOut).toMatchObject({ status: 'error', errorCode: 'timeout', endedBy: 'loadspec' });

    const { spec: long } = await simSpec();
    // A driver that ignores its signal entirely still cannot keep a cancelled call alive.
    const deaf = fakeDriver(() => new Promise(() => undefined), log);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new CallError('aborted', 'Ctrl-C')), 30);
    const aborted = await runCall(firstJob(long, 'book'), nowMs(), { spec: long, driverFor: () => deaf, threadId: 0 }, controller.signal);
    expect(aborted).toMatchObject({ status: 'error', errorCode: 'aborted', endedBy: 'loadspec' });
    expect(log).toEqual(['open', 'hangup', 'open', 'hangup']);
  });

  it('records agent_hangup when the agent cuts a scripted caller off', async () => {
    const { spec } = await simSpec();
    const driver = fakeDriver(async () => ({ agentHungUp: true, text: 'goodbye' }));
    const outcome = await runCall(firstJob(spec, 'book'), nowMs(), { spec, driverFor: () => driver, threadId: 0 }, never);
    expect(outcome).toMatchObject({ status: 'error', errorCode: 'agent_hangup', endedBy: 'agent' });
    const done = await runCall(firstJob(spec, 'refill'), nowMs(), { spec, driverFor: () => driver, threadId: 0 }, never);
    expect(done).toMatchObject({ status: 'passed', endedBy: 'agent' });
  });
});
