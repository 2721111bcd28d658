/**
 * Inputs for the hot-path suite: a real spec loaded through the real loader (so its shape
 * is the contract's, not a copy of it), and synthetic call outcomes shaped like those a
 * three-turn run writes: two scenarios, two variants, 95% passed, 3% failed, 2% errored,
 * log-normal response times, spread over a run at a steady rate.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadSpec } from '../../dist/spec/load.js';
import { removeDir, scratchDir } from './specs.js';

const SPEC = `version: 1
name: bench-hot
target:
  driver: sim
  latency: { p50: 300ms, p95: 900ms }
load:
  calls: 100000
  concurrency: 500
  pacing: 200/s
  seed: 7
personas:
  fields:
    firstName: [Maria, James, Aiko, Tomasz, Amara]
    lastName: [Garcia, Smith, Tanaka, Nowak, Okafor]
    dob: { date: [1940-01-01, 2005-12-31] }
    medication: [lisinopril, metformin, atorvastatin]
    age: { int: [18, 90] }
  traits:
    patience: { between: [4s, 12s] }
scenarios:
  - name: scheduling
    weight: 3
    turns:
      - say: "Hi, this is {{persona.firstName}} {{persona.lastName}}, I'd like to book an appointment."
        expect: { matches: "(?i)date of birth", within: 3s }
      - say: "It's {{persona.dob}}."
      - say: "Tuesday morning works."
        expect: { contains: confirmed }
  - name: refill
    weight: 1
    turns:
      - say: "I need a refill of {{persona.medication}}."
variants:
  - { name: prompt-v1, weight: 50 }
  - { name: prompt-v2, weight: 50 }
thresholds:
  failure_rate: "< 5%"
  drop_rate: "< 1%"
  response_time: ["p95 < 1500ms", "avg < 800ms"]
  "response_time{scenario:refill}": "p99 < 2s"
  "turn_time{variant:prompt-v2}": "p90 < 3s"
  call_duration: "p95 < 2m"
  "failure_rate{scenario:scheduling}": "< 10%"
`;

export async function hotSpec() {
  const dir = scratchDir('hot');
  try {
    const file = path.join(dir, 'hot.yaml');
    writeFileSync(file, SPEC);
    return await loadSpec(file, { cwd: dir, env: {} });
  } finally {
    removeDir(dir);
  }
}

/** A small deterministic generator (mulberry32), so fixtures are the same every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function logNormal(random, p50, sigma) {
  const u = Math.max(1e-12, random());
  const v = random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return p50 * Math.exp(sigma * z);
}

const REPLIES = ['Could I have your date of birth, please?', 'Let me check the schedule for you.', 'All set, your appointment is confirmed for Tuesday at 9:30.'];

export function syntheticOutcomes(count, o = { runStartMs: 1_800_000_000_000, ratePerSec: 200 }) {
  const random = rng(42);
  const out = new Array(count);
  for (let i = 0; i < count; i++) {
    const scenario = random() < 0.75 ? 'scheduling' : 'refill';
    const variant = random() < 0.5 ? 'prompt-v1' : 'prompt-v2';
    const roll = random();
    const status = roll < 0.95 ? 'passed' : roll < 0.98 ? 'failed' : 'error';
    const dueAtMs = o.runStartMs + (i * 1000) / o.ratePerSec;
    const queueWaitMs = random() * 5;
    const startedAtMs = dueAtMs + queueWaitMs;
    const connectMs = 1 + random() * 3;
    let t = startedAtMs + connectMs;
    const turnCount = scenario === 'scheduling' ? 3 : 1;
    const turns = [];
    for (let k = 0; k < turnCount; k++) {
      const responseMs = logNormal(random, 300, 0.67);
      const turnMs = responseMs + 40 + random() * 80;
      turns.push({ index: k, said: `Turn ${k} of call ${i}`, reply: REPLIES[k % REPLIES.length], sentAtMs: t, firstByteAtMs: t + responseMs, endAtMs: t + turnMs, responseMs, turnMs });
      t += turnMs + 200;
    }
    const endedAtMs = t;
    out[i] = {
      v: 1,
      index: i,
      id: `c-${String(i).padStart(6, '0')}`,
      scenario,
      variant,
      personaId: `p-${String(i).padStart(6, '0')}`,
      status,
      ...(status === 'error' ? { errorCode: random() < 0.5 ? 'timeout' : 'http_5xx', errorMessage: 'turn 2: no reply within 30s' } : {}),
      dueAtMs,
      startedAtMs,
      connectedAtMs: startedAtMs + connectMs,
      endedAtMs,
      queueWaitMs,
      connectMs,
      durationMs: endedAtMs - startedAtMs,
      endedBy: 'caller',
      attempts: 1,
      turns,
      checkFailures: status === 'failed' ? [{ check: 'turn 3: contains "confirmed"', actual: REPLIES[1], turnIndex: 2 }] : [],
      usage: [],
      costUsd: 0,
      threadId: 1 + (i % 2),
    };
  }
  return out;
}
