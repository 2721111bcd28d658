/**
 * Reads a results folder written by `loadspec run` (run.json + calls.jsonl) for
 * `loadspec report`. Every problem is LOADSPEC_RESULTS_INVALID at file:line, naming the
 * field. One exception, by design: a last line cut short without its newline is what a
 * crash mid-write leaves, so it is skipped with a warning instead of losing the whole run.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LoadspecError } from '../errors.js';
import { CALLS_FILE, RUN_FILE, RUN_FILE_VERSION, type RunFile } from '../results/writer.js';
import type { CallOutcome } from '../results/types.js';
import type { Spec } from '../spec/types.js';

export interface ResultsDir {
  readonly dir: string;
  readonly run: RunFile & { readonly spec: Spec };
  readonly outcomes: readonly CallOutcome[];
  readonly warnings: readonly string[];
}

function invalid(file: string, line: number, message: string, hint?: string): LoadspecError {
  return new LoadspecError('LOADSPEC_RESULTS_INVALID', message, { position: { file, line, col: 1 }, ...(hint === undefined ? {} : { hint }) });
}

/** Results from a newer loadspec are not broken, just not readable by this one: say so. */
function checkNotNewer(value: unknown, field: string, current: number, file: string, line: number, what: string): void {
  const found = isObject(value) ? (value as Record<string, unknown>)[field] : undefined;
  if (typeof found !== 'number' || !(found > current)) return;
  const by = (value as { loadspecVersion?: unknown }).loadspecVersion;
  throw invalid(file, line, `${what} is format version ${found}${typeof by === 'string' ? `, written by loadspec ${by}` : ''}; this loadspec reads version ${current}`, `upgrade loadspec (npm install loadspec@latest) to re-render these results`);
}

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

function parseJson(text: string, file: string, firstLine: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    throw invalid(file, firstLine + (at ? lineAt(text, Number(at[1])) - 1 : 0), `not valid JSON: ${message}`);
  }
}

type Check = [field: string, ok: (value: unknown) => boolean, expected: string];
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown) => typeof v === 'string';
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

const RUN_CHECKS: readonly Check[] = [
  ['runFileVersion', (v) => v === RUN_FILE_VERSION, `${RUN_FILE_VERSION}`],
  ['runId', isString, 'a string'],
  ['startedAt', isString, 'a date string'],
  ['startedAtMs', isNumber, 'a number'],
  ['intervalMs', (v) => isNumber(v) && (v as number) > 0, 'a positive number'],
  ['threads', isNumber, 'a number'],
  ['settings', isObject, 'an object'],
  ['spec', isObject, 'the resolved spec'],
];
const SPEC_CHECKS: readonly Check[] = [
  ['name', isString, 'a string'],
  ['load', isObject, 'an object'],
  ['scenarios', Array.isArray, 'a list'],
  ['variants', Array.isArray, 'a list'],
  ['thresholds', Array.isArray, 'a list'],
  ['report', isObject, 'an object'],
  ['cost', isObject, 'an object'],
];
const STATUSES = ['passed', 'failed', 'error', 'dropped'];
const OUTCOME_CHECKS: readonly Check[] = [
  ['v', (v) => v === 1, '1'],
  ['index', isNumber, 'a number'],
  ['id', isString, 'a string'],
  ['scenario', isString, 'a string'],
  ['variant', isString, 'a string'],
  ['personaId', isString, 'a string'],
  ['status', (v) => STATUSES.includes(v as string), STATUSES.join(' | ')],
  ['dueAtMs', isNumber, 'a number'],
  ['endedAtMs', isNumber, 'a number'],
  ['queueWaitMs', isNumber, 'a number'],
  ['attempts', isNumber, 'a number'],
  ['turns', Array.isArray, 'a list'],
  ['checkFailures', Array.isArray, 'a list'],
  ['usage', Array.isArray, 'a list'],
  ['costUsd', isNumber, 'a number'],
];

function check(value: unknown, checks: readonly Check[], file: string, line: number, what: string): void {
  if (!isObject(value)) throw invalid(file, line, `${what} is not a JSON object`);
  const record = value as Record<string, unknown>;
  for (const [field, ok, expected] of checks) {
    if (!ok(record[field])) throw invalid(file, line, `${what}: "${field}" should be ${expected}, found ${JSON.stringify(record[field]) ?? 'nothing'}`);
  }
}

function readRunFile(dir: string): RunFile & { spec: Spec } {
  const file = path.join(dir, RUN_FILE);
  if (!existsSync(file)) throw invalid(file, 1, `${RUN_FILE} is missing: ${dir} is not a folder written by \`loadspec run\``);
  const value = parseJson(readFileSync(file, 'utf8'), file, 1);
  checkNotNewer(value, 'runFileVersion', RUN_FILE_VERSION, file, 1, RUN_FILE);
  check(value, RUN_CHECKS, file, 1, RUN_FILE);
  check((value as { spec: unknown }).spec, SPEC_CHECKS, file, 1, `${RUN_FILE} spec`);
  return value as RunFile & { spec: Spec };
}

function readOutcomes(dir: string, warnings: string[]): CallOutcome[] {
  const file = path.join(dir, CALLS_FILE);
  if (!existsSync(file)) throw invalid(file, 1, `${CALLS_FILE} is missing from ${dir}`);
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const outcomes: CallOutcome[] = [];
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const last = i === lines.length - 1;
    let value: unknown;
    try {
      value = parseJson(raw, file, line);
    } catch (error) {
      // Only the final line can be cut short by a crash; it has no newline after it.
      if (last) {
        warnings.push(`${file}:${line}: skipped a last line cut short (the run was probably killed mid-write)`);
        return;
      }
      throw error;
    }
    checkNotNewer(value, 'v', 1, file, line, 'this call outcome');
    check(value, OUTCOME_CHECKS, file, line, `call outcome`);
    outcomes.push(value as CallOutcome);
  });
  return outcomes;
}

export function readResultsDir(dir: string): ResultsDir {
  if (!existsSync(dir)) throw new LoadspecError('LOADSPEC_RESULTS_INVALID', `results folder ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new LoadspecError('LOADSPEC_RESULTS_INVALID', `${dir} is a file; \`loadspec report\` reads the folder a run wrote`);
  const warnings: string[] = [];
  const run = readRunFile(dir);
  const outcomes = readOutcomes(dir, warnings);
  return { dir, run, outcomes, warnings };
}
