/**
 * `loadspec run <spec>`: loads the spec, applies the command-line overrides, places the
 * calls and exits with the verdict: 0 passed, 1 thresholds failed, 3 the run could not
 * complete (also when no call reached the target), 130 interrupted. The live view prints the final summary as the run ends.
 */
import { LoadspecError } from '../../errors.js';
import { BUILTIN_REPORTERS } from '../../report/builtin-reporters.js';
import { createReporters, DEFAULT_LIVE_INTERVAL_MS, type LiveOption } from '../../report/load-reporters.js';
import { outputReporterNames } from '../../report/outputs.js';
import { DEFAULT_INTERVAL_MS, startRun } from '../../run/engine.js';
import { resolveThreads } from '../../pool/pool.js';
import { handleInterrupts } from '../../run/signals.js';
import type { RunOverrides } from '../../spec/overrides.js';
import type { Spec } from '../../spec/types.js';
import { formatRate, parseDuration } from '../../spec/units.js';
import type { ParsedFlags } from '../args.js';
import type { Command } from '../command.js';
import { endRun } from '../run-ending.js';
import { loadSpecArg } from '../spec-arg.js';

export const runCommand: Command = {
  name: 'run',
  usage: 'run <spec> [flags]',
  summary: 'place the calls a spec describes, show them live, write results and reports, exit with the verdict',
  async run(context) {
    const { flags, io } = context;
    const intervalMs = durationFlag(flags, 'interval', DEFAULT_INTERVAL_MS);
    const liveIntervalMs = durationFlag(flags, 'live-interval', DEFAULT_LIVE_INTERVAL_MS);
    const { spec, overrides } = await loadSpecArg('run', '<spec> [--calls N] [--concurrency N] [--pacing RATE] [--out DIR]', context);
    const reporters = await createReporters({
      names: reporterNames(spec, flags, io.env),
      live: (typeof flags.live === 'string' ? flags.live : 'auto') as LiveOption,
      liveIntervalMs,
      io,
    });
    const handle = startRun(spec, { cwd: io.cwd, intervalMs, reporters, settings: settingsOf(spec, overrides, intervalMs), stderr: io.stderr });
    const removeHandlers = handleInterrupts(handle, { stderr: io.stderr });
    try {
      return endRun(spec, await handle.result, io.stderr);
    } finally {
      removeHandlers();
    }
  },
};

/**
 * `--reporter` names, after the spec's `report.formats` that have a built-in reporter
 * (html, json, junit) and `github` under GitHub Actions: the spec says which files a run
 * leaves behind, flags add more.
 */
function reporterNames(spec: Spec, flags: ParsedFlags, env: NodeJS.ProcessEnv): string[] {
  const given = Array.isArray(flags.reporter) ? flags.reporter : typeof flags.reporter === 'string' ? [flags.reporter] : [];
  const fromSpec = outputReporterNames(spec, env).filter((format) => Object.hasOwn(BUILTIN_REPORTERS, format));
  return [...new Set([...fromSpec, ...given])];
}

const MIN_INTERVAL_MS = 100;

function durationFlag(flags: ParsedFlags, name: string, fallbackMs: number): number {
  const raw = flags[name];
  if (raw === undefined) return fallbackMs;
  const parsed = parseDuration(raw);
  if (!parsed.ok) throw new LoadspecError('LOADSPEC_USAGE', `--${name}: ${parsed.error}`);
  if (!(parsed.value > 0)) throw new LoadspecError('LOADSPEC_USAGE', `--${name} must be longer than 0`);
  // Every interval is a point in summary.json's series: at 1ms an hour's run would hold
  // 3.6 million of them and run out of memory while writing the results.
  if (parsed.value < MIN_INTERVAL_MS) throw new LoadspecError('LOADSPEC_USAGE', `--${name} must be at least ${MIN_INTERVAL_MS}ms, not ${raw}`);
  return parsed.value;
}

/** The settings the run used, for run.json and the report's settings table. */
function settingsOf(spec: Spec, overrides: RunOverrides, intervalMs: number): Record<string, unknown> {
  const { load } = spec;
  return {
    calls: load.calls,
    concurrency: load.concurrency,
    pacing: load.phases.map((p) => (p.ratePerSec === p.rampToPerSec ? formatRate(p.ratePerSec) : `${formatRate(p.ratePerSec)} → ${formatRate(p.rampToPerSec)}`)).join(', '),
    arrivals: load.arrivals,
    seed: load.seed,
    threads: resolveThreads(load.threads),
    scenarios: spec.scenarios.map((s) => s.name).join(', '),
    intervalMs,
    overridden: Object.keys(overrides),
  };
}
