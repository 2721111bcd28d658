/**
 * End to end through the real CLI (`node bin/loadspec.js run`, compiled dist/, worker
 * threads): small specs against a demo receptionist this test starts on 127.0.0.1, over
 * http and websocket, checked in calls.jsonl and against the demo's own counters; a run
 * with every kind of fault; Retry-After honoured by the retries; and `url: builtin`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemoServer } from '../../src/demo/server.js';
import type { CallOutcome } from '../../src/results/types.js';
import { startFaultServer } from '../support/fault-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'loadspec.js');
const dir = mkdtempSync(path.join(tmpdir(), 'loadspec-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outcomes: CallOutcome[];
}

let specCount = 0;

/** Waits a little for the server to see closes that are still on the wire. */
async function settle(condition: () => boolean): Promise<void> {
  const until = Date.now() + 2_000;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Runs `loadspec run` on an inline spec without blocking this process (its servers must keep answering). */
async function runCli(yaml: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const name = `spec-${++specCount}`;
  const out = path.join(dir, `${name}-out`);
  // A path to an existing spec is run as it is; anything else is an inline spec.
  const file = yaml.endsWith('.yaml') ? yaml : path.join(dir, `${name}.yaml`);
  if (file !== yaml) writeFileSync(file, yaml);
  const child = spawn(process.execPath, [bin, 'run', file, '--out', out, '--live', 'off', '--threads', '1', ...extra], { cwd: dir, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  let outcomes: CallOutcome[] = [];
  try {
    outcomes = readFileSync(path.join(out, 'calls.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as CallOutcome);
  } catch {
    // no results: the assertions below say why
  }
  return { code, stdout, stderr, outcomes };
}

const PERSONAS = `
personas:
  fields:
    firstName: [Maria, James, Aiko]
    dob: { date: [1950-01-01, 1999-12-31] }
    medication: [lisinopril, metformin]
`;

const SCENARIOS = `
scenarios:
  - name: booking
    weight: 2
    turns:
      - say: "Hi, this is {{persona.firstName}}, I'd like to book an appointment."
        expect: { matches: "(?i)date of birth" }
      - say: "It's {{persona.dob}}."
        expect: { contains: found your record }
      - say: "Tuesday morning works."
        expect: { contains: confirmed }
      - say: "That's all, goodbye."
        expect: { contains: goodbye }
    expect: { endedBy: agent }
  - name: refill
    weight: 1
    turns:
      - say: "I need a refill of {{persona.medication}}."
        expect: { contains: [refill, pharmacy] }
      - say: "The CVS pharmacy, please."
        expect: { matches: "(?i)refill of \\\\w+ has been sent to cvs" }
`;

function load(calls: number, extra = ''): string {
  return `
load:
  calls: ${calls}
  concurrency: 6
  pacing: 20/s
  callTimeout: 20s
  seed: 5
${extra}`;
}

describe('loadspec run against the demo receptionist', { timeout: 60_000 }, () => {
  it.each([
    ['http', (url: string) => `driver: http\n  url: ${url}`],
    ['http with SSE', (url: string) => `driver: http\n  url: ${url}\n  turn: { stream: sse, reply: /delta }`],
    ['websocket', (url: string) => `driver: websocket\n  url: ${url.replace('http:', 'ws:')}/ws`],
  ])('%s: every call passes its checks, and every call the demo saw begin has ended', async (_name, target) => {
    const demo = await startDemoServer({ latencyMs: 10, jitterMs: 5 });
    try {
      const run = await runCli(`version: 1\nname: e2e\ntarget:\n  ${target(demo.url)}\n${load(12)}${PERSONAS}${SCENARIOS}\nthresholds:\n  failure_rate: "< 1%"\n`);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.outcomes).toHaveLength(12);
      expect(run.outcomes.every((outcome) => outcome.status === 'passed')).toBe(true);
      const booking = run.outcomes.find((outcome) => outcome.scenario === 'booking');
      expect(booking?.endedBy).toBe('agent');
      expect(booking?.turns.map((t) => t.reply).join(' ')).toMatch(/confirmed.*Goodbye/);
      expect(demo.stats()).toMatchObject({ callsBegun: 12, callsEnded: 12, active: 0 });
    } finally {
      await demo.close();
    }
  });

  it('fails calls whose checks do not hold against the script, saying which check and what the agent said', async () => {
    const demo = await startDemoServer({ latencyMs: 5, jitterMs: 0 });
    try {
      const scenarios = `
scenarios:
  - name: wrong-order
    turns:
      - say: "Tuesday morning works."
        expect: { contains: confirmed }
      - say: "What are your hours?"
        expect: { contains: "open Monday to Friday" }
`;
      const run = await runCli(`version: 1\nname: e2e-fail\ntarget:\n  driver: http\n  url: ${demo.url}\n${load(4)}${PERSONAS}${scenarios}\nthresholds:\n  failure_rate: "< 1%"\n`);
      expect(run.code).toBe(1);
      expect(run.outcomes).toHaveLength(4);
      for (const outcome of run.outcomes) {
        expect(outcome).toMatchObject({ status: 'failed', errorCode: 'check_failed' });
        expect(outcome.checkFailures).toHaveLength(1);
        expect(outcome.checkFailures[0]?.check).toMatch(/contains "confirmed"/);
        expect(outcome.checkFailures[0]?.actual).toMatch(/didn't quite catch that/);
      }
      expect(demo.stats()).toMatchObject({ callsBegun: 4, callsEnded: 4 });
    } finally {
      await demo.close();
    }
  });

  it('callers whose patience is shorter than the demo’s latency hang up early, and the demo sees them go', async () => {
    const demo = await startDemoServer({ latencyMs: 400, jitterMs: 0 });
    try {
      const impatient = PERSONAS + '  traits:\n    patience: { between: [50ms, 150ms] }\n';
      const run = await runCli(`version: 1\nname: e2e-patience\ntarget:\n  driver: websocket\n  url: ${demo.wsUrl}\n${load(4)}${impatient}${SCENARIOS}`);
      expect(run.outcomes).toHaveLength(4);
      for (const outcome of run.outcomes) expect(outcome).toMatchObject({ status: 'error', errorCode: 'hangup_early', endedBy: 'caller' });
      await settle(() => demo.stats().active === 0);
      expect(demo.stats()).toMatchObject({ callsBegun: 4, callsEnded: 4 });
    } finally {
      await demo.close();
    }
  });

  it.each([
    ['http', (url: string) => `driver: http\n  url: ${url}`],
    ['websocket', (url: string) => `driver: websocket\n  url: ${url.replace('http:', 'ws:')}/ws`],
  ])('%s: records each injected fault with its code in calls.jsonl, and still ends every call', async (_name, target) => {
    const demo = await startDemoServer({ latencyMs: 5, jitterMs: 0, seed: 3, faults: { http_5xx: 0.08, drop: 0.08, hang: 0.08, garbage: 0.08 } });
    try {
      const run = await runCli(`version: 1\nname: e2e-faults\ntarget:\n  ${target(demo.url)}\n  turnTimeout: 500ms\n${load(40, '  retries: { attempts: 1 }')}${PERSONAS}${SCENARIOS}`);
      expect(run.outcomes).toHaveLength(40);
      const codes = new Set(run.outcomes.map((outcome) => outcome.errorCode ?? 'passed'));
      for (const code of ['http_5xx', 'connection_reset', 'timeout', 'protocol', 'passed']) expect(codes).toContain(code);
      expect([...codes].filter((code) => !['http_5xx', 'connection_reset', 'timeout', 'protocol', 'passed'].includes(code))).toEqual([]);
      expect(run.outcomes.filter((outcome) => outcome.status === 'error').every((outcome) => outcome.errorMessage)).toBe(true);
      await settle(() => demo.stats().active === 0);
      expect(demo.stats()).toMatchObject({ callsBegun: 40, callsEnded: 40, active: 0 });
    } finally {
      await demo.close();
    }
  });

  it('retries a 429 after the Retry-After the server gave', async () => {
    const server = await startFaultServer({ start: (n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : 'ok') });
    try {
      const scenarios = `\nscenarios:\n  - name: one\n    turns:\n      - say: "Hello?"\n`;
      const run = await runCli(`version: 1\nname: e2e-429\ntarget:\n  driver: http\n  url: ${server.url}\nload:\n  calls: 1\n  pacing: 1/s\n  retries: { attempts: 3, backoff: 10ms, maxBackoff: 20ms }\n${PERSONAS}${scenarios}`);
      const [outcome] = run.outcomes;
      expect(outcome).toMatchObject({ status: 'passed', attempts: 2 });
      // The backoff alone would have waited at most 20 ms; the server asked for a second.
      expect(outcome!.connectedAtMs! - outcome!.startedAtMs!).toBeGreaterThanOrEqual(950);
      expect(server.counts).toMatchObject({ starts: 2, begun: 1, ended: 1 });
    } finally {
      await server.close();
    }
  });

  it('url: builtin starts the demo for the run, over websocket, and stops it afterwards', async () => {
    const run = await runCli(
      `version: 1\nname: e2e-builtin\ntarget:\n  driver: websocket\n  url: builtin\n  demo: { latency: 10ms, jitter: 0ms, capacity: 4 }\n${load(8)}${PERSONAS}${SCENARIOS}\nthresholds:\n  failure_rate: "< 1%"\n`,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outcomes).toHaveLength(8);
    expect(run.outcomes.every((outcome) => outcome.status === 'passed')).toBe(true);
  });

  it('the builtin demo’s 429s are retried after its Retry-After, and the calls still pass', async () => {
    const run = await runCli(
      `version: 1\nname: e2e-builtin-429\ntarget:\n  driver: http\n  url: builtin\n  demo: { latency: 5ms, jitter: 0ms, faults: { rate_limited: 20% } }\n${load(10, '  retries: { attempts: 8, backoff: 10ms, maxBackoff: 20ms }')}${PERSONAS}${SCENARIOS}`,
    );
    expect(run.outcomes).toHaveLength(10);
    expect(run.outcomes.every((outcome) => outcome.status === 'passed')).toBe(true);
    const retried = run.outcomes.filter((outcome) => outcome.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    // Each retry waited the demo's Retry-After (1 s), not the 20 ms backoff.
    for (const outcome of retried) expect(outcome.durationMs!).toBeGreaterThanOrEqual(950 * (outcome.attempts - 1));
  });

  it('a target that refuses connections ends its calls with connect_refused after the retries', async () => {
    const run = await runCli(`version: 1\nname: e2e-refused\ntarget:\n  driver: http\n  url: http://127.0.0.1:9\n${load(2, '  retries: { attempts: 2, backoff: 10ms, maxBackoff: 20ms }')}${PERSONAS}${SCENARIOS}`);
    expect(run.outcomes).toHaveLength(2);
    for (const outcome of run.outcomes) expect(outcome).toMatchObject({ status: 'error', errorCode: 'connect_refused', attempts: 2 });
  });

  it.each([
    ['specs/examples/http-agent.yaml', (url: string) => ({ AGENT_URL: url })],
    ['specs/examples/websocket-agent.yaml', (url: string) => ({ AGENT_WS_URL: `${url.replace('http:', 'ws:')}/ws` })],
  ])('the example %s runs unchanged against the demo and passes', async (file, env) => {
    const demo = await startDemoServer({ latencyMs: 10, jitterMs: 5 });
    try {
      const run = await runCli(path.join(root, file), ['--calls', '10', '--pacing', '20/s'], { ...env(demo.url), AGENT_TOKEN: 'secret-token' });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.outcomes).toHaveLength(10);
      expect(run.outcomes.every((outcome) => outcome.status === 'passed')).toBe(true);
      expect(demo.stats()).toMatchObject({ callsBegun: 10, callsEnded: 10 });
    } finally {
      await demo.close();
    }
  });
});
