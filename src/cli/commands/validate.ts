/**
 * `loadspec validate <spec...>`: checks any number of specs and prints every problem in
 * each, for pull-request checks. `--format json` prints one record per file for machines;
 * under GitHub Actions (GITHUB_ACTIONS=true) it also prints workflow annotations so the
 * problems show on the pull request's diff.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { EXIT, formatProblem, LoadspecError, type Problem } from '../../errors.js';
import { checkSpec } from '../../spec/load.js';
import type { Command } from '../command.js';

export interface ValidationRecord {
  readonly file: string;
  readonly valid: boolean;
  readonly problems: readonly FlatProblem[];
  readonly warnings: readonly FlatProblem[];
}

interface FlatProblem {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
}

export const validateCommand: Command = {
  name: 'validate',
  usage: 'validate <spec|folder...> [--format json]',
  summary: 'check specs and print every problem with its file:line:col (exit 0 valid, 2 not)',
  async run({ positionals, flags, io }) {
    if (positionals.length === 0) {
      throw new LoadspecError('LOADSPEC_USAGE', 'loadspec validate: name at least one spec file', { hint: 'usage: loadspec validate specs/*.yaml' });
    }
    const records: ValidationRecord[] = [];
    for (const file of positionals.flatMap((arg) => expand(arg, io.cwd))) {
      const result = isEmptyFolder(file, io.cwd) ? emptyFolder(file) : await checkSpec(file, { env: io.env, cwd: io.cwd });
      records.push({ file, valid: result.problems.length === 0, problems: result.problems.map(flatten), warnings: result.warnings.map(flatten) });
      if (flags.format !== 'json') io.stdout.write(textFor(file, result.problems, result.warnings));
    }
    const json = flags.format === 'json';
    if (json) io.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
    else io.stdout.write(summaryLine(records));
    if (io.env.GITHUB_ACTIONS === 'true') {
      // JSON on stdout must stay parseable, so the annotations go to stderr then (the runner reads both).
      (json ? io.stderr : io.stdout).write(records.flatMap(annotations).join(''));
    }
    return records.every((r) => r.valid) ? EXIT.passed : EXIT.invalidInput;
  },
};

/** A folder stands for every .yaml/.yml file under it (CI checks `loadspec validate specs`). */
function expand(arg: string, cwd: string): string[] {
  const absolute = path.resolve(cwd, arg);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) return [arg];
  const found = readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(arg, name));
  return found.length > 0 ? found : [arg];
}

function isEmptyFolder(arg: string, cwd: string): boolean {
  const absolute = path.resolve(cwd, arg);
  return existsSync(absolute) && statSync(absolute).isDirectory();
}

/** `expand` hands back a folder only when it holds no specs: say that, not "is a folder". */
function emptyFolder(arg: string): { problems: Problem[]; warnings: Problem[] } {
  return {
    problems: [{ code: 'LOADSPEC_FILE_NOT_FOUND', message: `folder ${arg} holds no .yaml or .yml spec files`, hint: 'name the spec files, or a folder that has some' }],
    warnings: [],
  };
}

function flatten(problem: Problem): FlatProblem {
  return {
    code: problem.code,
    message: problem.message,
    ...(problem.hint !== undefined ? { hint: problem.hint } : {}),
    ...(problem.position ? { file: problem.position.file, line: problem.position.line, col: problem.position.col } : {}),
  };
}

function textFor(file: string, problems: readonly Problem[], warnings: readonly Problem[]): string {
  const lines = problems.map((p) => formatProblem(p));
  lines.push(...warnings.map((w) => formatProblem({ ...w, message: `warning: ${w.message}` })));
  lines.push(problems.length === 0 ? `${file}: valid${warnings.length > 0 ? ` (${plural(warnings.length, 'warning')})` : ''}` : `${file}: ${plural(problems.length, 'problem')}`);
  return `${lines.join('\n')}\n`;
}

function summaryLine(records: readonly ValidationRecord[]): string {
  if (records.length < 2) return '';
  const invalid = records.filter((r) => !r.valid).length;
  return `${plural(records.length, 'spec')} checked: ${records.length - invalid} valid, ${invalid} invalid\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `::error file=...,line=...,col=...::message` lines (GitHub workflow commands). */
export function annotations(record: ValidationRecord): string[] {
  const line = (kind: 'error' | 'warning', p: FlatProblem): string => {
    const props = [`file=${escapeProperty(p.file ?? record.file)}`];
    if (p.line !== undefined) props.push(`line=${p.line}`, `col=${p.col ?? 1}`);
    props.push(`title=${escapeProperty(p.code)}`);
    const text = p.hint ? `${p.message} (${p.hint})` : p.message;
    return `::${kind} ${props.join(',')}::${escapeData(text)}\n`;
  };
  return [...record.problems.map((p) => line('error', p)), ...record.warnings.map((w) => line('warning', w))];
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
