import type { ParsedFlags } from './args.js';
import type { CliIO } from './io.js';

export interface CommandContext {
  readonly positionals: readonly string[];
  readonly flags: ParsedFlags;
  readonly io: CliIO;
}

export interface Command {
  readonly name: string;
  /** `run <spec> [flags]`. */
  readonly usage: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Returns the process exit code (errors.ts EXIT). */
  run(context: CommandContext): Promise<number>;
}
