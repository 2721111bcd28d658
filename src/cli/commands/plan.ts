/**
 * `loadspec plan <spec>`: a dry run that places no calls. Loads the spec, applies the same
 * overrides `run` takes (--calls, --concurrency, --pacing, --scenarios, --seed), and prints
 * the load profile, the exact scenario × variant mix the seed produces, sample callers and
 * warnings. The same spec and seed print byte-identical output.
 */
import { EXIT, LoadspecError } from '../../errors.js';
import { planSummary, DEFAULT_SAMPLES } from '../../plan/summary.js';
import { renderPlanJson, renderPlanText } from '../../plan/render.js';
import type { Command } from '../command.js';
import { loadSpecArg } from '../spec-arg.js';

export const planCommand: Command = {
  name: 'plan',
  usage: 'plan <spec> [flags]',
  summary: 'show what a run would do (load profile, scenario mix, sample callers, warnings) without placing calls',
  async run(context) {
    const { flags, io } = context;
    const samples = flags.samples === undefined ? DEFAULT_SAMPLES : Number(flags.samples);
    if (!Number.isInteger(samples) || samples < 0) {
      throw new LoadspecError('LOADSPEC_USAGE', `--samples expects a whole number of 0 or more, not ${String(flags.samples)}`);
    }
    const { file, spec } = await loadSpecArg('plan', '<spec> [--seed N] [--format json]', context);
    const summary = planSummary(spec, { samples });
    io.stdout.write(flags.format === 'json' ? renderPlanJson(summary, file) : renderPlanText(summary, file));
    return EXIT.passed;
  },
};
