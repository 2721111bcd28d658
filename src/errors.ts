/**
 * Every error code loadspec can show a user, in one place.
 *
 * Two vocabularies live here:
 * - `LOADSPEC_*` codes: loadspec itself could not do what was asked (bad spec, bad flag,
 *   a run that could not complete). Each has a message template, a hint and an exit code.
 * - Call error codes (`connect_refused`, `timeout`, ...): why one call ended in `error` or
 *   `failed`. They are metric values (errors by code), shown in the live view and reports.
 *
 * Tests assert that every code here is documented in README.md, so adding one means
 * documenting it.
 */

/** Documented process exit codes. */
export const EXIT = {
  passed: 0,
  thresholdsFailed: 1,
  invalidInput: 2,
  runFailed: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

interface CodeInfo {
  readonly hint: string;
  readonly exit: ExitCode;
}

export const ERROR_CODES = {
  LOADSPEC_USAGE: { hint: 'run `loadspec --help` for the commands and flags', exit: EXIT.invalidInput },
  LOADSPEC_FILE_NOT_FOUND: { hint: 'check the path; it is resolved from the current directory', exit: EXIT.invalidInput },
  LOADSPEC_YAML_SYNTAX: { hint: 'fix the YAML syntax at the position shown', exit: EXIT.invalidInput },
  LOADSPEC_SPEC_INVALID: { hint: 'see schemas/loadspec.v1.json or the README for the spec format', exit: EXIT.invalidInput },
  LOADSPEC_SPEC_VERSION: { hint: 'upgrade loadspec, or write the spec for the version this loadspec reads', exit: EXIT.invalidInput },
  LOADSPEC_ENV_MISSING: { hint: 'export the variable, or give a default with ${NAME:-default}', exit: EXIT.invalidInput },
  LOADSPEC_CSV_INVALID: { hint: 'a persona CSV needs a header row and the same number of fields on every row', exit: EXIT.invalidInput },
  LOADSPEC_THRESHOLD_INVALID: { hint: 'thresholds read `aggregation operator value`, e.g. "p95 < 1500ms"', exit: EXIT.invalidInput },
  LOADSPEC_OUTPUT_EXISTS: { hint: 'choose another --out directory or remove the existing results', exit: EXIT.invalidInput },
  LOADSPEC_OUTPUT_UNWRITABLE: { hint: 'choose an --out directory you can write to, on a disk with free space', exit: EXIT.runFailed },
  LOADSPEC_RESULTS_INVALID: { hint: 'point `loadspec report` at a directory written by `loadspec run`', exit: EXIT.invalidInput },
  LOADSPEC_REPORTER_INVALID: { hint: 'a reporter is a built-in name or a path to a module whose default export is a reporter', exit: EXIT.invalidInput },
  LOADSPEC_TARGET_UNREACHABLE: { hint: 'start the receptionist, or check target.url', exit: EXIT.runFailed },
  LOADSPEC_DEMO_START_FAILED: { hint: 'the bundled demo receptionist did not start; run `loadspec demo` to see why', exit: EXIT.runFailed },
  LOADSPEC_RUN_FAILED: { hint: 'this is a loadspec fault; the calls written so far are in calls.jsonl', exit: EXIT.runFailed },
  LOADSPEC_BUDGET_EXCEEDED: { hint: 'raise cost.budget in the spec or place fewer calls', exit: EXIT.runFailed },
  LOADSPEC_INTERRUPTED: { hint: 'the results written before the interrupt are kept', exit: EXIT.interrupted },
} as const satisfies Record<string, CodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where in a file a problem is. Lines and columns count from 1. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** One problem found in a user's input; a spec can have many at once. */
export interface Problem {
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint?: string;
  readonly position?: SourcePosition;
}

/**
 * An error caused by the user's input or environment. The CLI prints its problems as one
 * line each (`file:line:col  message  (hint)`) and never a stack trace.
 */
export class LoadspecError extends Error {
  readonly code: ErrorCode;
  readonly problems: readonly Problem[];
  readonly exitCode: ExitCode;

  constructor(code: ErrorCode, message: string, options: { hint?: string; position?: SourcePosition; problems?: readonly Problem[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LoadspecError';
    this.code = code;
    this.exitCode = ERROR_CODES[code].exit;
    this.problems = options.problems ?? [
      { code, message, hint: options.hint ?? ERROR_CODES[code].hint, ...(options.position ? { position: options.position } : {}) },
    ];
  }
}

export function isLoadspecError(error: unknown): error is LoadspecError {
  return error instanceof LoadspecError;
}

/** Formats a problem as the one line a user sees. */
export function formatProblem(problem: Problem): string {
  const where = problem.position ? `${problem.position.file}:${problem.position.line}:${problem.position.col}  ` : '';
  const hint = problem.hint ? `  (${problem.hint})` : '';
  return `${where}${problem.message}${hint}`;
}

/**
 * Why a call ended in `error` (or `failed`, for the check codes). `retryable` codes are
 * retried with backoff before the call is given up; the rest end the call at once.
 */
export const CALL_ERROR_CODES = {
  connect_refused: { retryable: true, description: 'the target refused the connection' },
  dns: { retryable: false, description: 'the host name did not resolve, or the URL is invalid' },
  tls: { retryable: false, description: 'the TLS handshake failed (certificate, protocol)' },
  timeout: { retryable: false, description: 'the call, or a turn within it, ran past its time limit' },
  http_4xx: { retryable: false, description: 'the target answered with a 4xx status other than 429' },
  http_5xx: { retryable: false, description: 'the target answered with a 5xx status' },
  rate_limited: { retryable: true, description: 'the target answered 429; retried honouring Retry-After' },
  connection_reset: { retryable: false, description: 'the connection was reset or closed mid-call' },
  protocol: { retryable: false, description: 'the reply was malformed, too large, or not what the protocol expects' },
  hangup_early: { retryable: false, description: 'the caller hung up because the agent was slower than their patience' },
  agent_hangup: { retryable: false, description: 'the agent ended the call before the caller was done' },
  no_answer: { retryable: false, description: 'nobody answered the call' },
  busy: { retryable: false, description: 'the line was busy' },
  check_failed: { retryable: false, description: 'a check on a turn or on the call did not hold (the call is failed)' },
  judge_failed: { retryable: false, description: 'the LLM judge failed a rubric criterion (the call is failed)' },
  llm_rate_limited: { retryable: true, description: 'the LLM provider answered 429 after all retries' },
  llm_error: { retryable: false, description: 'the LLM provider answered with an error' },
  llm_timeout: { retryable: false, description: 'the LLM provider did not answer in time' },
  worker_crashed: { retryable: false, description: 'the worker thread running the call crashed; the pool replaced it' },
  aborted: { retryable: false, description: 'the run was stopped (Ctrl-C, duration cap, abortOnFail) and the call was hung up' },
  internal: { retryable: false, description: 'loadspec itself failed while running the call' },
} as const satisfies Record<string, { retryable: boolean; description: string }>;

export type CallErrorCode = keyof typeof CALL_ERROR_CODES;

export const CALL_ERROR_CODE_LIST = Object.keys(CALL_ERROR_CODES) as CallErrorCode[];

/**
 * Thrown by drivers and personas inside a worker to end a call with a classified code.
 * It never crosses a thread boundary: the call runner turns it into a plain outcome record.
 */
export class CallError extends Error {
  readonly code: CallErrorCode;
  /** Milliseconds the server asked us to wait before retrying (Retry-After), if any. */
  readonly retryAfterMs: number | undefined;

  constructor(code: CallErrorCode, message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CallError';
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
  }

  get retryable(): boolean {
    return CALL_ERROR_CODES[this.code].retryable;
  }
}
