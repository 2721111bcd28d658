/**
 * Persona CSV files: read and checked at spec load, so a malformed row is a spec problem at
 * `personas.csv:LINE` rather than a call failing halfway through a run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { ERROR_CODES, type Problem } from '../../errors.js';
import { fsReason } from '../fs-reason.js';
import { displayPath, report, type CheckContext } from './context.js';

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_PROBLEMS_PER_FILE = 20;

/** Loads personas.from into context.csv, or reports why it cannot. */
export function checkCsv(context: CheckContext, from: string): void {
  const absolute = path.resolve(context.specDir, from);
  const shown = displayPath(context.cwd, absolute);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    report(context, `persona file ${shown} ${fsReason(error)}`, ['personas', 'from'], {
      code: 'LOADSPEC_CSV_INVALID',
      hint: 'personas.from is resolved from the folder of the spec',
    });
    return;
  }
  const problems: Problem[] = [];
  const at = (line: number, message: string, hint?: string): void => {
    if (problems.length < MAX_PROBLEMS_PER_FILE) {
      problems.push({ code: 'LOADSPEC_CSV_INVALID', message, hint: hint ?? ERROR_CODES.LOADSPEC_CSV_INVALID.hint, position: { file: shown, line, col: 1 } });
    }
  };
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, info: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const csvError = error as { code?: string; lines?: number; message?: string };
    const line = csvError.code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuoteLine(text) : (csvError.lines ?? 1);
    const what = csvError.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed' : (csvError.message ?? 'malformed CSV').replace(/ at line \d+.*$/s, '');
    at(line, `CSV: ${what}`, 'quote fields that contain commas, and double a quote inside a quoted field ("")');
    context.problems.push(...problems);
    return;
  }
  const [head, ...rows] = records;
  if (!head) {
    at(1, `persona file ${shown} is empty; it needs a header row naming the fields`);
    context.problems.push(...problems);
    return;
  }
  const header = head.record;
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (!FIELD_NAME.test(name)) {
      at(head.info.lines, `CSV header: column ${index + 1} ${name === '' ? 'has no name' : `"${name}" is not a field name`}; the first row names the fields`, 'field names are letters, digits and _ (templates use them as {{persona.NAME}})');
    } else if (seen.has(name)) {
      at(head.info.lines, `CSV header: column "${name}" appears twice`);
    }
    seen.add(name);
  });
  if (rows.length === 0) at(head.info.lines, `persona file ${shown} has a header but no rows`);
  const out: Record<string, string>[] = [];
  for (const { record, info } of rows) {
    if (record.length !== header.length) {
      at(info.lines, `CSV: this row has ${record.length} field${record.length === 1 ? '' : 's'}; the header has ${header.length}`);
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((name, index) => (row[name] = record[index] ?? ''));
    out.push(row);
  }
  context.problems.push(...problems);
  if (problems.length === 0) context.csv = { header, rows: out };
}

/** The line where a quote opens and never closes (csv-parse reports the end of the file). */
function unclosedQuoteLine(text: string): number {
  let open = false;
  let openedAt = 1;
  text.split(/\r?\n/).forEach((line, index) => {
    for (const char of line) {
      if (char !== '"') continue;
      open = !open;
      if (open) openedAt = index + 1;
    }
  });
  return openedAt;
}
