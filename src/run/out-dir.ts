/**
 * Where a run writes its results: `--out` (from the current directory), else `report.outDir`
 * (from the spec's folder, like every path in a spec), else a fresh
 * `loadspec-results/<spec name>-<UTC timestamp>` under the current directory. A folder
 * that already holds a run's calls is refused rather than mixed into.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { LoadspecError } from '../errors.js';
import { CALLS_FILE } from '../results/writer.js';
import type { Spec } from '../spec/types.js';

export function defaultOutDir(spec: Spec, cwd: string, startedAtMs: number): string {
  const stamp = new Date(startedAtMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = spec.name.replace(/[^A-Za-z0-9._-]+/g, '-') || 'run';
  return path.resolve(cwd, 'loadspec-results', `${name}-${stamp}`);
}

export function prepareOutDir(spec: Spec, options: { readonly out?: string; readonly cwd: string; readonly startedAtMs: number }): string {
  const outDir =
    options.out !== undefined
      ? path.resolve(options.cwd, options.out)
      : spec.report.outDir !== undefined
        ? path.resolve(path.dirname(spec.sourcePath), spec.report.outDir)
        : defaultOutDir(spec, options.cwd, options.startedAtMs);
  if (existsSync(path.join(outDir, CALLS_FILE))) {
    throw new LoadspecError('LOADSPEC_OUTPUT_EXISTS', `${outDir} already holds the results of a run (${CALLS_FILE})`);
  }
  mkdirSync(outDir, { recursive: true });
  return outDir;
}
