/**
 * The CLI entry: picks the command, parses its flags, runs it and turns errors into the
 * documented exit codes. A user's mistake prints one line per problem, never a stack.
 */
import { EXIT, formatProblem, isLoadspecError, LoadspecError } from '../errors.js';
import { parseCommandArgs } from './args.js';
import { COMMANDS, type CommandName } from './flags.js';
import { commandHelp, mainHelp } from './help.js';
import { processIO, type CliIO } from './io.js';
import { VERSION } from './version.js';
import { ALL_COMMANDS } from './commands/index.js';
import { fsErrorCode, fsReason } from '../spec/fs-reason.js';

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(mainHelp(ALL_COMMANDS));
    return first === undefined ? EXIT.invalidInput : EXIT.passed;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`loadspec ${VERSION}\n`);
    return EXIT.passed;
  }
  const command = ALL_COMMANDS.find((c) => c.name === first);
  try {
    if (!command || !(COMMANDS as readonly string[]).includes(first)) {
      throw new LoadspecError('LOADSPEC_USAGE', `unknown command "${first}"; commands: ${ALL_COMMANDS.map((c) => c.name).join(', ')}`);
    }
    const parsed = parseCommandArgs(command.name as CommandName, rest);
    if (parsed.flags.help) {
      io.stdout.write(commandHelp(command));
      return EXIT.passed;
    }
    if (parsed.flags.version) {
      io.stdout.write(`loadspec ${VERSION}\n`);
      return EXIT.passed;
    }
    return await command.run({ positionals: parsed.positionals, flags: parsed.flags, io });
  } catch (error) {
    return reportError(error, io);
  }
}

/** Prints an error as a user should see it and returns the exit code. */
export function reportError(error: unknown, io: Pick<CliIO, 'stderr'>): number {
  if (isLoadspecError(error)) {
    for (const problem of error.problems) io.stderr.write(`${formatProblem(problem)}\n`);
    return error.exitCode;
  }
  const unwritable = outputFailure(error);
  if (unwritable) return reportError(unwritable, io);
  // Not the user's mistake: this is a loadspec bug, so the stack helps whoever reports it.
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`loadspec: internal error (LOADSPEC_RUN_FAILED): ${text}\n`);
  return EXIT.runFailed;
}

/** Failures of the machine rather than of loadspec: no permission, a file in the way, a full disk. */
const ENVIRONMENT_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EEXIST', 'EISDIR']);
const WRITE_SYSCALLS = new Set(['mkdir', 'open', 'write', 'rename', 'copyfile', 'fsync', 'close', 'unlink']);

/** A results folder or file that could not be written, as the one line a user acts on. */
function outputFailure(error: unknown): LoadspecError | undefined {
  const code = fsErrorCode(error);
  const { syscall, path } = error as { syscall?: unknown; path?: unknown };
  if (code === undefined || !ENVIRONMENT_CODES.has(code) || typeof syscall !== 'string' || !WRITE_SYSCALLS.has(syscall)) return undefined;
  const message =
    typeof path === 'string'
      ? `cannot write results: ${path} ${fsReason(error)}`
      : `cannot write results (${code}): ${fsReason(error).replace(/^cannot be (written|accessed): /, '')}`;
  return new LoadspecError('LOADSPEC_OUTPUT_UNWRITABLE', message, { cause: error });
}
