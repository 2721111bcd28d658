/**
 * Command-line overrides (`--calls`, `--pacing`, `--scenarios`, ...) applied after the
 * spec is loaded. They change a frozen Spec into a new frozen Spec; the file stays the
 * source of truth for everything not overridden.
 */
import path from 'node:path';
import { LoadspecError } from '../errors.js';
import type { ParsedFlags } from '../cli/args.js';
import { deepFreeze } from './freeze.js';
import { constantPhase } from './resolve.js';
import { suggest } from './suggest.js';
import type { Spec, ThresholdSpec } from './types.js';
import { parseRate } from './units.js';

export interface RunOverrides {
  readonly calls?: number;
  readonly concurrency?: number;
  /** A rate as written on the command line: `5/s`, `30/min`, or a bare number of calls/s. */
  readonly pacing?: string;
  readonly scenarios?: readonly string[];
  readonly seed?: number;
  readonly threads?: number;
  /** Results folder; resolved from the working directory. */
  readonly outDir?: string;
}

const MAX_SEED = 4_294_967_295;
const MAX_THREADS = 256;

export function applyOverrides(spec: Spec, overrides: RunOverrides): Spec {
  const positive = (flag: string, value: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < min)) {
      throw new LoadspecError('LOADSPEC_USAGE', `--${flag} must be a whole number of at least ${min}, not ${value}`);
    }
    if (value !== undefined && value > max) {
      throw new LoadspecError('LOADSPEC_USAGE', `--${flag} must be at most ${max}, not ${value}`);
    }
  };
  positive('calls', overrides.calls, 1);
  positive('concurrency', overrides.concurrency, 1);
  // The same limits as the schema's load.seed and load.threads: thousands of worker threads
  // exhaust memory and crash the process instead of running.
  positive('seed', overrides.seed, 0, MAX_SEED);
  positive('threads', overrides.threads, 0, MAX_THREADS);

  const calls = overrides.calls ?? spec.load.calls;
  let phases = spec.load.phases;
  if (overrides.pacing !== undefined) {
    const rate = parseRate(overrides.pacing, { allowBare: true });
    if (!rate.ok) throw new LoadspecError('LOADSPEC_USAGE', `--pacing: ${rate.error}`, { hint: 'e.g. --pacing 5/s, --pacing 30/min or --pacing 2.5' });
    phases = [constantPhase(calls, rate.value)];
  }

  let scenarios = spec.scenarios;
  let thresholds = spec.thresholds;
  if (overrides.scenarios !== undefined) {
    const known = spec.scenarios.map((s) => s.name);
    const wanted = overrides.scenarios.map((s) => s.trim()).filter((s) => s !== '');
    if (wanted.length === 0) throw new LoadspecError('LOADSPEC_USAGE', `--scenarios needs at least one name; scenarios: ${known.join(', ')}`);
    const unknown = wanted.filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new LoadspecError('LOADSPEC_USAGE', `--scenarios: no scenario named ${unknown.map((n) => `"${n}"`).join(', ')}${suggest(unknown[0] ?? '', known)}`, {
        hint: `scenarios in ${path.basename(spec.sourcePath)}: ${known.join(', ')}`,
      });
    }
    scenarios = spec.scenarios.filter((s) => wanted.includes(s.name));
    if (scenarios.every((s) => s.weight === 0)) {
      throw new LoadspecError('LOADSPEC_USAGE', `--scenarios: the chosen scenarios all have weight 0, so no call could pick one`);
    }
    // A threshold scoped to a scenario that is not placed can see no data; it passes as such.
    thresholds = spec.thresholds.map((t): ThresholdSpec => (t.scope.scenario !== undefined && !wanted.includes(t.scope.scenario) ? { ...t, allowNoData: true } : t));
  }

  const result: Spec = {
    ...spec,
    load: {
      ...spec.load,
      calls,
      phases,
      ...(overrides.concurrency !== undefined ? { concurrency: overrides.concurrency } : {}),
      ...(overrides.seed !== undefined ? { seed: overrides.seed } : {}),
      ...(overrides.threads !== undefined ? { threads: overrides.threads } : {}),
    },
    scenarios,
    thresholds,
    report: { ...spec.report, ...(overrides.outDir !== undefined ? { outDir: path.resolve(overrides.outDir) } : {}) },
  };
  return deepFreeze(structuredClone(result));
}

/** Builds RunOverrides from parsed flags (`--scenarios a,b` is one comma-separated string). */
export function overridesFromFlags(flags: ParsedFlags, cwd: string = process.cwd()): RunOverrides {
  const number = (name: string): number | undefined => (typeof flags[name] === 'number' ? (flags[name] as number) : undefined);
  const text = (name: string): string | undefined => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const scenarios = flags.scenarios;
  const list = Array.isArray(scenarios) ? scenarios.flatMap((s) => s.split(',')) : typeof scenarios === 'string' ? scenarios.split(',') : undefined;
  const out = text('out');
  const overrides: Record<string, unknown> = {
    calls: number('calls'),
    concurrency: number('concurrency'),
    pacing: text('pacing'),
    scenarios: list?.map((s) => s.trim()).filter((s) => s !== ''),
    seed: number('seed'),
    threads: number('threads'),
    outDir: out === undefined ? undefined : path.resolve(cwd, out),
  };
  for (const key of Object.keys(overrides)) if (overrides[key] === undefined) delete overrides[key];
  return overrides as RunOverrides;
}
