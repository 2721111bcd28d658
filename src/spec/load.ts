/**
 * The spec loader: read → parse YAML (keeping positions) → read the version → ${ENV}
 * interpolation → migrate to the current version → JSON Schema → semantic checks →
 * resolve → deep-freeze. Every problem found on the way is collected, so a user sees all
 * of them at once, each at its `file:line:col`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ERROR_CODES, LoadspecError, type Problem } from '../errors.js';
import { runChecks } from './checks/index.js';
import { displayPath, type CheckContext } from './checks/context.js';
import { deepFreeze } from './freeze.js';
import { fsErrorCode, fsReason } from './fs-reason.js';
import { interpolateSource } from './interpolate.js';
import type { RawSpec } from './raw.js';
import { resolveSpec } from './resolve.js';
import { validateSchema } from './schema.js';
import { parseSpecSource, valuePosition } from './source.js';
import type { Spec } from './types.js';
import { migrate, readVersion } from './version.js';

export interface LoadOptions {
  /** Environment for ${VAR} interpolation; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Folder relative spec paths resolve from; default process.cwd(). */
  readonly cwd?: string;
  /** Receives each warning of a valid spec (things that run but are likely mistakes). */
  readonly onWarning?: (warning: Problem) => void;
}

export interface SpecCheck {
  /** The resolved spec, when there were no problems. */
  readonly spec?: Spec;
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
}

/** Loads a spec, or throws LoadspecError LOADSPEC_SPEC_INVALID listing every problem. */
export async function loadSpec(file: string, options: LoadOptions = {}): Promise<Spec> {
  const result = await checkSpec(file, options);
  if (result.spec) {
    for (const warning of result.warnings) options.onWarning?.(warning);
    return result.spec;
  }
  const problems = result.problems;
  const only = problems.length === 1 ? problems[0] : undefined;
  const message = only ? only.message : `${file}: ${problems.length} problems in the spec`;
  throw new LoadspecError(only?.code === 'LOADSPEC_FILE_NOT_FOUND' ? 'LOADSPEC_FILE_NOT_FOUND' : 'LOADSPEC_SPEC_INVALID', message, { problems });
}

/** Checks a spec and returns every problem and warning, plus the resolved spec when it is valid. */
export async function checkSpec(file: string, options: LoadOptions = {}): Promise<SpecCheck> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const absolute = path.resolve(cwd, file);
  const shown = displayPath(cwd, absolute);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const reason = fsErrorCode(error) === 'EISDIR' ? 'is a folder, not a spec file' : fsReason(error);
    // The shell passes a pattern that matched nothing through as it is.
    const unmatched = fsErrorCode(error) === 'ENOENT' && /[*?[]/.test(file);
    return {
      problems: [
        unmatched
          ? { code: 'LOADSPEC_FILE_NOT_FOUND', message: `no file matches ${shown}`, hint: 'the shell found no file for the pattern; check it, or name the files' }
          : { code: 'LOADSPEC_FILE_NOT_FOUND', message: `spec file ${shown} ${reason}`, hint: ERROR_CODES.LOADSPEC_FILE_NOT_FOUND.hint },
      ],
      warnings: [],
    };
  }

  const { source, problems: syntax } = parseSpecSource(shown, text);
  // A document with syntax errors has no reliable structure: report only what the parser saw.
  if (syntax.length > 0) return { problems: syntax, warnings: [] };
  const root = source.doc.contents;
  if (root === null || typeof source.doc.toJS() !== 'object' || Array.isArray(source.doc.toJS())) {
    return {
      problems: [{ code: 'LOADSPEC_SPEC_INVALID', message: `${shown} ${root === null ? 'is empty' : 'is not a spec'}: expected a mapping with version, name, target, load and scenarios`, hint: 'run `loadspec init` for a starter spec', position: valuePosition(source, []) }],
      warnings: [],
    };
  }
  const version = readVersion(source);
  if (version.version === undefined) return { problems: version.problems, warnings: [] };

  const { problems: envProblems, failedPaths } = interpolateSource(source, env);
  const raw = migrate(source.doc.toJS() as Record<string, unknown>, version.version);

  const context: CheckContext = { source, raw, specDir: path.dirname(absolute), cwd, problems: [...envProblems], warnings: [] };
  context.problems.push(...validateSchema(source, raw, failedPaths));
  await runChecks(context);
  // A value whose ${VAR} could not be filled in is reported once, as the missing variable.
  const unfilled = new Set(failedPaths.map((at) => positionKey(valuePosition(source, at))));
  const problems = sortProblems(
    context.problems.filter((p) => p.code === 'LOADSPEC_ENV_MISSING' || !p.position || !unfilled.has(positionKey(p.position)) || envProblems.includes(p)),
    shown,
  );
  const warnings = sortProblems(context.warnings, shown);
  if (problems.length > 0) return { problems, warnings };

  const spec = resolveSpec(raw as unknown as RawSpec, {
    source,
    sourcePath: absolute,
    ...(context.csv ? { rows: context.csv.rows } : {}),
  });
  return { spec: deepFreeze(spec), problems: [], warnings };
}

function positionKey(position: { file: string; line: number; col: number }): string {
  return `${position.file}:${position.line}:${position.col}`;
}

/** In file order: the spec's own problems first, then those in files it names (CSV). */
function sortProblems(problems: readonly Problem[], specFile: string): Problem[] {
  const rank = (p: Problem): number => (p.position?.file === specFile ? 0 : p.position ? 1 : -1);
  return [...problems].sort((a, b) => {
    if (rank(a) !== rank(b)) return rank(a) - rank(b);
    if (a.position?.file !== b.position?.file) return (a.position?.file ?? '') < (b.position?.file ?? '') ? -1 : 1;
    return (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.col ?? 0) - (b.position?.col ?? 0);
  });
}
