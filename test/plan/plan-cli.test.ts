/** `loadspec plan` through the real CLI (compiled dist/, built by the global setup). */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'loadspec.js');

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function loadspec(args: string[], cwd: string): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const SPEC = `version: 1
name: plan-cli
description: A small spec for the plan command.
target:
  driver: sim
  latency: { p50: 400ms, p95: 900ms }
load:
  calls: 120
  concurrency: 3
  phases:
    - { name: warm-up, duration: 10s, pacing: 1/s, rampTo: 5/s }
    - { name: steady, duration: 10s, pacing: 5/s }
  queue: { maxWait: 2s }
  seed: 11
personas:
  from: people.csv
  fields:
    medication: [lisinopril, metformin]
  traits:
    patience: { between: [4s, 12s] }
  segmentBy: clinic
scenarios:
  - name: booking
    weight: 3
    turns:
      - say: "Hi, this is {{persona.firstName}}."
        pause: 1s
      - say: "Tuesday works."
  - name: refill
    weight: 1
    turns:
      - say: "A refill of {{persona.medication}}, please."
variants:
  - { name: prompt-v1, weight: 1 }
  - { name: prompt-v2, weight: 1 }
`;

const CSV = 'firstName,clinic\nAna,north\nBen,south\nCy,north\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'loadspec-plan-'));
  await writeFile(path.join(dir, 'plan.yaml'), SPEC);
  await writeFile(path.join(dir, 'people.csv'), CSV);
  await writeFile(path.join(dir, 'broken.yaml'), 'version: 1\nname: broken\nload: { calls: many }\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadspec plan', () => {
  test('prints the phases, arrivals, concurrency, exact mix, sample callers and warnings', async () => {
    const { code, stdout, stderr } = await loadspec(['plan', 'plan.yaml'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Plan for plan-cli (plan.yaml), seed 11, sim driver');
    expect(stdout).toMatch(/warm-up\s+0s\s+10s\s+1\/s → 5\/s\s+30\s+30/);
    expect(stdout).toMatch(/steady\s+10s\s+20s\s+5\/s\s+50\s+50/);
    expect(stdout).toMatch(/hold \(last rate\)\s+20s\s+28s\s+5\/s\s+40\s+40/);
    expect(stdout).toContain('120 of 120 calls placed');
    expect(stdout).toContain('Expected arrivals per second (one column per 1s, peak 5/s)');
    // booking: 1 s pause + 2 × 400 ms; refill: 400 ms; weighted 3:1.
    expect(stdout).toContain('expected call length 1.45s (sim latency p50 400ms + reply 0ms per turn)');
    expect(stdout).toContain('expected peak concurrency 7.3 of a cap of 3 (over the cap: calls will queue)');
    const cells = [...stdout.matchAll(/^ {2}(booking|refill) {2,}(prompt-v[12]) +(\d+) +[\d.]+%$/gm)];
    expect(cells).toHaveLength(4);
    expect(cells.reduce((sum, m) => sum + Number(m[3]), 0)).toBe(120);
    expect(stdout.match(/^ {2}c-00000\d {2}/gm)).toHaveLength(3);
    expect(stdout).toMatch(/firstName=(Ana|Ben|Cy) {2}clinic=(north|south) {2}medication=(lisinopril|metformin)/);
    expect(stdout).toMatch(/segment (north|south)/);
    expect(stdout).toContain('[concurrency_cap]');
    expect(stdout).toContain('[final_rate_holds]');
  });

  test('the same spec and seed print byte-identical output; another seed another mix', async () => {
    const first = await loadspec(['plan', 'plan.yaml'], dir);
    const second = await loadspec(['plan', 'plan.yaml'], dir);
    expect(second.stdout).toBe(first.stdout);
    const other = await loadspec(['plan', 'plan.yaml', '--seed', '12'], dir);
    expect(other.code).toBe(0);
    expect(other.stdout).toContain('seed 12');
    expect(other.stdout.slice(other.stdout.indexOf('Mix'))).not.toBe(first.stdout.slice(first.stdout.indexOf('Mix')));
  });

  test('--format json prints the plan for machines, also byte-identical', async () => {
    const { code, stdout } = await loadspec(['plan', 'plan.yaml', '--format', 'json', '--samples', '5'], dir);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan.spec).toBe('plan.yaml');
    expect(plan.seed).toBe(11);
    expect(plan.profile.plannedCalls).toBe(120);
    expect(plan.profile.phases.map((p: { name: string }) => p.name)).toEqual(['warm-up', 'steady', 'hold']);
    expect(plan.mix.cells).toHaveLength(4);
    expect(plan.samples).toHaveLength(5);
    expect(plan.segments).toEqual({ field: 'clinic', values: ['north', 'south'], overflows: false });
    expect(plan.warnings.map((w: { code: string }) => w.code)).toEqual(['concurrency_cap', 'final_rate_holds']);
    expect((await loadspec(['plan', 'plan.yaml', '--format', 'json', '--samples', '5'], dir)).stdout).toBe(stdout);
  });

  test('overrides apply as for run', async () => {
    const { code, stdout } = await loadspec(['plan', 'plan.yaml', '--calls', '40', '--pacing', '2/s', '--scenarios', 'refill', '--concurrency', '50'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('40 calls, at most 50 at once');
    expect(stdout).toContain('40 of 40 calls placed; scheduling is expected to end at 20s');
    expect(stdout).toMatch(/^ {2}refill {2,}prompt-v1/m);
    expect(stdout).not.toMatch(/^ {2}booking /m);
    expect(stdout).toContain('No warnings.');
  });

  test('exit 2 with every problem for a bad spec, a missing file or a bad flag', async () => {
    const broken = await loadspec(['plan', 'broken.yaml'], dir);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('broken.yaml:3:');
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    const missing = await loadspec(['plan', 'nope.yaml'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml');
    expect((await loadspec(['plan'], dir)).code).toBe(2);
    expect((await loadspec(['plan', 'plan.yaml', '--format', 'xml'], dir)).code).toBe(2);
    expect((await loadspec(['plan', 'plan.yaml', '--scenarios', 'nosuch'], dir)).code).toBe(2);
  });
});
