/**
 * The one spec file that `run` and `plan` take: loaded, its warnings printed to stderr,
 * and the command-line overrides applied after it.
 */
import { formatProblem, LoadspecError } from '../errors.js';
import { loadSpec } from '../spec/load.js';
import { applyOverrides, overridesFromFlags, type RunOverrides } from '../spec/overrides.js';
import type { Spec } from '../spec/types.js';
import type { CommandContext } from './command.js';

export interface SpecArg {
  readonly file: string;
  readonly spec: Spec;
  readonly overrides: RunOverrides;
}

export async function loadSpecArg(command: 'run' | 'plan', usage: string, { positionals, flags, io }: CommandContext): Promise<SpecArg> {
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    throw new LoadspecError('LOADSPEC_USAGE', file === undefined ? `loadspec ${command}: name one spec file` : `loadspec ${command} takes one spec file, not ${positionals.length}`, {
      hint: `usage: loadspec ${command} ${usage}`,
    });
  }
  const overrides = overridesFromFlags(flags, io.cwd);
  const onWarning = (warning: Parameters<typeof formatProblem>[0]): void => {
    io.stderr.write(`${formatProblem({ ...warning, message: `warning: ${warning.message}` })}\n`);
  };
  const spec = applyOverrides(await loadSpec(file, { env: io.env, cwd: io.cwd, onWarning }), overrides);
  return { file, spec, overrides };
}
