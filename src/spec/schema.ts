/**
 * Validates a raw spec against schemas/loadspec.v1.json with ajv (every error at once) and
 * turns ajv's errors into problems a person can act on: positioned, naming the field in
 * spec terms, suggesting the closest key for a typo, and never echoing a secret.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { ERROR_CODES, type Problem } from '../errors.js';
import { showValue } from './secrets.js';
import { suggest } from './suggest.js';
import { formatPath, keyPosition, parentPosition, pointerToPath, QUOTE_TEMPLATE_HINT, valuePosition, type SpecPath, type SpecSource } from './source.js';
import { parseBytes, parseDuration, parsePercent, parseRate, type UnitResult } from './units.js';

/** schemas/ sits two folders up from both src/spec and dist/spec. */
export const SCHEMA_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'loadspec.v1.json');

const UNIT_FORMATS: Readonly<Record<string, (value: unknown) => UnitResult>> = {
  duration: parseDuration,
  rate: (value) => parseRate(value),
  percent: (value) => parsePercent(value, { allowFraction: true }),
  bytes: parseBytes,
};

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  // One document is validated per load, so compile time is what counts: ajv's code
  // optimisation passes cost more (a few hundred ms at start-up) than they ever save.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true, code: { optimize: false } });
  for (const [name, parse] of Object.entries(UNIT_FORMATS)) {
    ajv.addFormat(name, { type: 'string', validate: (value: string) => parse(value).ok });
  }
  ajv.addFormat('date', { type: 'string', validate: (value: string) => isIsoDate(value) });
  compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  return compiled;
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Validates; `skip` holds paths already reported (e.g. a missing ${VAR}) so they are not reported twice. */
export function validateSchema(source: SpecSource, raw: unknown, skip: readonly SpecPath[] = []): Problem[] {
  const validate = validator();
  if (validate(raw)) return [];
  const skipped = new Set(skip.map((p) => p.join('\u0000')));
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const errorPath = pointerToPath(error.instancePath);
    if (skipped.has(errorPath.join('\u0000'))) continue;
    const problem = describe(source, raw, error, errorPath);
    if (!problem) continue;
    const id = `${problem.position?.line}:${problem.position?.col}:${problem.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(problem);
  }
  return problems;
}

function invalid(message: string, position: Problem['position'], hint?: string): Problem {
  return { code: 'LOADSPEC_SPEC_INVALID', message, hint: hint ?? ERROR_CODES.LOADSPEC_SPEC_INVALID.hint, ...(position ? { position } : {}) };
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  array: 'a list',
  object: 'a mapping',
  boolean: 'true or false',
  null: 'null',
};

function typeNames(type: unknown): string {
  const types = Array.isArray(type) ? (type as string[]) : [String(type)];
  return types.map((t) => TYPE_NAMES[t] ?? t).join(' or ');
}

interface SchemaLike {
  readonly type?: unknown;
  readonly format?: string;
  readonly properties?: Record<string, unknown>;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
}

function describe(source: SpecSource, raw: unknown, error: ErrorObject, at: SpecPath): Problem | undefined {
  const where = formatPath(at);
  const parent = (error.parentSchema ?? {}) as SchemaLike;
  const data = error.data;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
    case 'propertyNames':
      return undefined;
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(parent.properties ?? {});
      return invalid(`${where === 'the spec' ? 'the spec has' : `${where} has`} an unknown key "${key}"${suggest(key, known)}`, keyPosition(source, [...at, key]), known.length > 0 ? `keys here: ${known.join(', ')}` : undefined);
    }
    case 'required': {
      const key = String(params.missingProperty);
      const message = at.length === 0 ? `the spec is missing "${key}"` : `${where} is missing "${key}"`;
      return invalid(message, parentPosition(source, at), requiredHint(key));
    }
    case 'false schema': {
      const key = at[at.length - 1];
      const owner = at.slice(0, -1);
      if (key === 'driver') return invalid(`${where}: a variant cannot change the driver`, keyPosition(source, at), 'variants share the spec\'s driver; override url, headers or driver settings instead');
      const driver = lookup(raw, [...owner, 'driver']);
      return invalid(`${where} does not apply to the ${String(driver)} driver`, keyPosition(source, at), 'see the target table in the README for the settings of each driver');
    }
    case 'type':
    case 'format': {
      const unit = parent.format ? UNIT_FORMATS[parent.format] : undefined;
      if (unit && (typeof data === 'string' || typeof data === 'number')) {
        const result = unit(data);
        if (!result.ok) return invalid(`${where}: ${result.error}`, valuePosition(source, at), unitHint(parent.format!));
      }
      if (error.keyword === 'format' && parent.format === 'date') {
        return invalid(`${where}: ${showValue(at, data)} is not a date; write yyyy-mm-dd, e.g. 1980-04-23`, valuePosition(source, at));
      }
      const expected = parent.type ?? params.type;
      const wantsText = expected === 'string' || (Array.isArray(expected) && expected.includes('string'));
      const hint = wantsText && data !== null && typeof data === 'object' && !Array.isArray(data) ? QUOTE_TEMPLATE_HINT : undefined;
      return invalid(`${where} must be ${typeNames(expected)}, not ${showValue(at, data)}`, valuePosition(source, at), hint);
    }
    case 'enum': {
      const allowed = (error.schema as unknown[]).map(String);
      if (error.propertyName !== undefined) {
        const key = error.propertyName;
        return invalid(`${where} has an unknown key "${key}"${suggest(key, allowed)}`, keyPosition(source, [...at, key]), `keys here: ${allowed.join(', ')}`);
      }
      return invalid(`${where} must be one of ${allowed.join(', ')}, not ${showValue(at, data)}${suggest(String(data), allowed)}`, valuePosition(source, at));
    }
    case 'const':
      return invalid(`${where} must be ${JSON.stringify(error.schema)}, not ${showValue(at, data)}`, valuePosition(source, at));
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'more than', exclusiveMaximum: 'less than' } as const;
      return invalid(`${where} must be ${words[error.keyword]} ${String(params.limit)}, not ${showValue(at, data)}`, valuePosition(source, at));
    }
    case 'minItems':
    case 'maxItems': {
      const limit = Number(params.limit);
      const schema = parent as { minItems?: number; maxItems?: number };
      if (schema.minItems === schema.maxItems) {
        return invalid(`${where} must be a list of exactly ${limit} items, not ${Array.isArray(data) ? data.length : 0}`, valuePosition(source, at), pairHint(at));
      }
      return invalid(`${where} must have ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${limit} item${limit === 1 ? '' : 's'}`, valuePosition(source, at));
    }
    case 'minLength':
      return invalid(`${where} must not be empty`, valuePosition(source, at));
    case 'minProperties':
    case 'maxProperties':
      return invalid(`${where} must be a list of values, { date: [from, to] } or { int: [min, max] }`, valuePosition(source, at));
    case 'uniqueItems':
      return invalid(`${where} lists the same value twice`, valuePosition(source, at));
    case 'pattern': {
      if (parent.pattern?.startsWith('^(/')) {
        const example = typeof data === 'string' && data !== '' ? `/${data.replace(/\./g, '/')}` : '/reply';
        return invalid(`${where}: ${showValue(at, data)} is not a JSON pointer; write e.g. ${example}`, valuePosition(source, at), 'JSON pointers start with / and separate keys with /, e.g. /data/text; "" is the whole reply');
      }
      return invalid(`${where}: ${showValue(at, data)} is not a valid name; use letters, digits, _ . and -, starting with a letter or digit`, valuePosition(source, at));
    }
    default:
      return invalid(`${where} ${error.message ?? 'is invalid'}`, valuePosition(source, at));
  }
}

function lookup(raw: unknown, at: readonly (string | number)[]): unknown {
  let current = raw;
  for (const segment of at) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function unitHint(format: string): string {
  switch (format) {
    case 'duration':
      return 'durations need a unit: ms, s, m or h';
    case 'rate':
      return 'rates are calls per time, 0.01/s to 1000/s: 5/s, 30/min, 120/h';
    case 'percent':
      return 'percentages are written like 5% or 0.5%';
    default:
      return 'sizes are bytes or e.g. 64KiB, 1MiB';
  }
}

function pairHint(at: readonly (string | number)[]): string | undefined {
  const last = at[at.length - 1];
  if (last === 'date') return 'write { date: [from, to] }, e.g. { date: [1940-01-01, 2005-12-31] }';
  if (last === 'int') return 'write { int: [min, max] }, e.g. { int: [18, 90] }';
  if (last === 'between') return 'write { between: [shortest, longest] }, e.g. { between: [4s, 12s] }';
  return undefined;
}

function requiredHint(key: string): string {
  const hints: Record<string, string> = {
    version: 'add `version: 1` at the top',
    driver: 'choose a driver: sim, http or websocket',
    url: 'give the receptionist\'s URL, or `builtin` for the bundled demo receptionist',
    say: 'each turn needs a line for the caller to say',
    scenarios: 'add at least one scenario with a name and turns',
  };
  return hints[key] ?? ERROR_CODES.LOADSPEC_SPEC_INVALID.hint;
}
