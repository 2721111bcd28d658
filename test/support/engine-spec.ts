/** Sim-driver specs for the engine's tests, written to a temp folder and loaded for real. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSpec } from '../../src/spec/load.js';
import type { Spec } from '../../src/spec/types.js';

export interface SimSpecOptions {
  readonly calls?: number;
  readonly concurrency?: number;
  readonly pacing?: string;
  readonly latency?: { p50: string; p95: string };
  readonly failures?: Readonly<Record<string, string>>;
  readonly capacity?: number;
  readonly seed?: number;
  readonly threads?: number;
  readonly queueMaxWait?: string;
  readonly callTimeout?: string;
  readonly extraLoad?: string;
  /** Replaces the default scenarios block. */
  readonly scenarios?: string;
  readonly thresholds?: string;
}

export function tempDir(prefix = 'loadspec-engine-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function simSpecYaml(o: SimSpecOptions = {}): string {
  const failures = o.failures ? `\n  failures: { ${Object.entries(o.failures).map(([k, v]) => `${k}: "${v}"`).join(', ')} }` : '';
  const latency = o.latency ?? { p50: '20ms', p95: '60ms' };
  return `version: 1
name: engine-test
target:
  driver: sim
  latency: { p50: ${latency.p50}, p95: ${latency.p95} }
  capacity: ${o.capacity ?? 1000}${failures}
load:
  calls: ${o.calls ?? 20}
  concurrency: ${o.concurrency ?? 5}
  pacing: ${o.pacing ?? '200/s'}
  seed: ${o.seed ?? 7}
  threads: ${o.threads ?? 1}
  queue: { maxWait: ${o.queueMaxWait ?? '30s'} }
  callTimeout: ${o.callTimeout ?? '30s'}
${o.extraLoad ?? ''}
personas:
  fields:
    firstName: [Maria, James, Aiko, Tomasz]
${
  o.scenarios ??
  `scenarios:
  - name: book
    weight: 2
    turns:
      - say: "Hi, this is {{persona.firstName}}, I'd like an appointment"
        expect: { contains: ["appointment"] }
      - say: "Tuesday morning works"
  - name: refill
    weight: 1
    turns:
      - say: "I need a refill"`
}
variants:
  - { name: a, weight: 1 }
  - { name: b, weight: 1 }
${o.thresholds ?? ''}
`;
}

/** Writes the spec to a fresh temp folder and loads it; returns the spec and the folder. */
export async function simSpec(o: SimSpecOptions = {}): Promise<{ spec: Spec; dir: string; file: string }> {
  const dir = tempDir();
  const file = path.join(dir, 'spec.yaml');
  writeFileSync(file, simSpecYaml(o));
  return { spec: await loadSpec(file, { cwd: dir, env: {} }), dir, file };
}
