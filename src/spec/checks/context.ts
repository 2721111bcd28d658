/**
 * What every semantic check gets: the raw spec (validated by the schema or not; checks
 * guard their own types, so every problem is found in one pass) and a way to report a
 * problem at a path.
 */
import path from 'node:path';
import { ERROR_CODES, type ErrorCode, type Problem, type SourcePosition } from '../../errors.js';
import { keyPosition, valuePosition, type SpecPath, type SpecSource } from '../source.js';

export interface CheckContext {
  readonly source: SpecSource;
  readonly raw: Record<string, unknown>;
  /** Folder of the spec file (relative paths in the spec resolve from it). */
  readonly specDir: string;
  readonly cwd: string;
  readonly problems: Problem[];
  readonly warnings: Problem[];
  /** Persona CSV rows and header, once checked. */
  csv?: { readonly header: readonly string[]; readonly rows: readonly Record<string, string>[] };
}

export interface ReportOptions {
  readonly code?: ErrorCode;
  readonly hint?: string;
  /** Point at the key rather than the value (for keys that are wrong in themselves). */
  readonly atKey?: boolean;
  readonly position?: SourcePosition;
}

function problem(context: CheckContext, message: string, at: SpecPath, options: ReportOptions): Problem {
  const code = options.code ?? 'LOADSPEC_SPEC_INVALID';
  return {
    code,
    message,
    hint: options.hint ?? ERROR_CODES[code].hint,
    position: options.position ?? (options.atKey ? keyPosition(context.source, at) : valuePosition(context.source, at)),
  };
}

export function report(context: CheckContext, message: string, at: SpecPath, options: ReportOptions = {}): void {
  context.problems.push(problem(context, message, at, options));
}

export function warn(context: CheckContext, message: string, at: SpecPath, options: ReportOptions = {}): void {
  context.warnings.push(problem(context, message, at, options));
}

/** A path as users see it in messages: relative to the working directory when inside it. */
export function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
}
