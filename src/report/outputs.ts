/**
 * Which output reporters a run gets without asking: the spec's `report.formats`
 * (html, json, junit), plus `github` when `$GITHUB_STEP_SUMMARY` is set (GitHub Actions).
 * The run command adds these names to `--reporter`'s, which dedups them.
 */
import type { Spec } from '../spec/types.js';

export function outputReporterNames(spec: Pick<Spec, 'report'>, env: NodeJS.ProcessEnv): string[] {
  return [...spec.report.formats, ...(env.GITHUB_STEP_SUMMARY ? ['github'] : [])];
}
