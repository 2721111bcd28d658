/**
 * What `loadspec run` says after the summary when a run did not measure what it set out
 * to: the budget stopped it, a Ctrl-C stopped it, or no call ever reached the target. Each
 * is one line with its code and hint, and may change the exit code.
 */
import { ERROR_CODES, EXIT, formatProblem, type ErrorCode, type ExitCode } from '../errors.js';
import type { RunResult } from '../run/engine.js';
import type { Spec } from '../spec/types.js';

/** Call error codes that mean the call never got through to the agent. */
const NOT_REACHED = ['connect_refused', 'dns', 'tls'] as const;

/** Prints the closing problem line, if any, and returns the exit code the run ends with. */
export function endRun(spec: Spec, result: RunResult, stderr: NodeJS.WritableStream): ExitCode {
  const { summary } = result;
  const say = (code: ErrorCode, message: string): void => {
    stderr.write(`${formatProblem({ code, message: `${code}: ${message}`, hint: ERROR_CODES[code].hint })}\n`);
  };
  const reason = summary.run.abortReason;
  if (reason === 'budget') {
    say('LOADSPEC_BUDGET_EXCEEDED', `the projected spend passed cost.budget ($${spec.cost.budgetUsd ?? 0}); the run was stopped`);
    return result.exitCode;
  }
  if (reason === 'interrupted') {
    say('LOADSPEC_INTERRUPTED', `the run was interrupted; ${result.outcomes} call${result.outcomes === 1 ? '' : 's'} written to ${result.outDir}`);
    return result.exitCode;
  }
  const { started, passed, failed } = summary.calls;
  const notReached = NOT_REACHED.map((code) => summary.errors[code] ?? 0);
  const total = notReached.reduce((sum, n) => sum + n, 0);
  // Every call failed before it reached the agent: the thresholds measured nothing about it,
  // so this is a run that could not be done, not an agent that failed them.
  if (reason === undefined && started > 0 && passed + failed === 0 && total === started) {
    const where = spec.target.driver === 'sim' ? 'the target' : spec.target.url;
    const codes = NOT_REACHED.filter((_, i) => (notReached[i] ?? 0) > 0).join(', ');
    say('LOADSPEC_TARGET_UNREACHABLE', `no call reached ${where}: all ${started} ended ${codes}`);
    return EXIT.runFailed;
  }
  return result.exitCode;
}
