/** Spec files the whole-run suites hand to the real CLI, written to a scratch folder. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function scratchDir(prefix) {
  return mkdtempSync(path.join(tmpdir(), `loadspec-bench-${prefix}-`));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

function turnsYaml(turns) {
  const lines = ["      - say: \"Hi, this is {{persona.firstName}}, I'd like to book an appointment.\""];
  for (let i = 1; i < turns; i++) lines.push(`      - say: "Turn ${i + 1}: Tuesday morning works."`);
  return lines.join('\n');
}

function loadYaml(o) {
  return `load:
  calls: ${o.calls}
  concurrency: ${o.concurrency}
  pacing: ${o.pacing}
  seed: 7
  queue: { maxWait: ${o.queueMaxWait ?? '10m'} }
  callTimeout: ${o.callTimeout ?? '5m'}
  maxDuration: ${o.maxDuration ?? '20m'}
  gracePeriod: 30s
  retries: { attempts: 1 }${o.threads ? `\n  threads: ${o.threads}` : ''}`;
}

const PERSONAS = `personas:
  fields:
    firstName: [Maria, James, Aiko, Tomasz, Amara]
    medication: [lisinopril, metformin, atorvastatin]`;

/** The in-process simulator: `latencyMs` per turn exactly (p50 = p95, so no spread). */
export function simSpecYaml(o) {
  return `version: 1
name: bench-sim
target:
  driver: sim
  latency: { p50: ${o.latencyMs}ms, p95: ${o.latencyMs}ms }
  capacity: ${o.capacity ?? 100000}
  turnTimeout: ${o.turnTimeout ?? '2m'}
${restYaml(o)}`;
}

/** The http driver against the bench target, in the demo protocol (the driver's default). */
export function httpSpecYaml(o) {
  return `version: 1
name: bench-http
target:
  driver: http
  url: ${o.url}
  turnTimeout: ${o.turnTimeout ?? '30s'}
${restYaml(o)}`;
}

/** Everything after the target: load, personas and one scenario of `turns` turns. */
function restYaml(o) {
  return `${loadYaml(o)}
${PERSONAS}
scenarios:
  - name: book
    turns:
${turnsYaml(o.turns ?? 3)}
`;
}

export function writeSpec(dir, name, yaml) {
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}
