/**
 * Spec versions. The loader reads the version first, then migrates older specs step by
 * step (vN → vN+1) up to SPEC_VERSION before validating, so a future version 2 arrives as
 * one more entry in MIGRATIONS, not a rewrite of the loader.
 */
import { isMap, isPair, isScalar, type Node } from 'yaml';
import { ERROR_CODES, type Problem } from '../errors.js';
import { VERSION } from '../cli/version.js';
import { keyPosition, valuePosition, type SpecSource } from './source.js';
import { SPEC_VERSION } from './types.js';

/** Migration from version N (the key) to N+1. Version 1 is the first, so there are none yet. */
const MIGRATIONS: Readonly<Record<number, (raw: Record<string, unknown>) => Record<string, unknown>>> = {};

export function readVersion(source: SpecSource): { version?: number; problems: Problem[] } {
  const root = source.doc.contents as Node | null;
  const problem = (message: string, hint: string, position = keyPosition(source, [])): Problem => ({
    code: 'LOADSPEC_SPEC_VERSION',
    message,
    hint,
    position,
  });
  const pair = isMap(root) ? root.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === 'version') : undefined;
  if (!pair) {
    return { problems: [problem(`the spec has no "version"; add \`version: ${SPEC_VERSION}\` at the top`, 'every spec says which version of the format it is written in')] };
  }
  const value = isScalar(pair.value) ? pair.value.value : undefined;
  const at = valuePosition(source, ['version']);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    const shown = typeof value === 'string' ? `"${value}"` : String(value ?? 'empty');
    return { problems: [problem(`version must be a whole number like ${SPEC_VERSION}, not ${shown}`, `write \`version: ${SPEC_VERSION}\``, at)] };
  }
  if (value > SPEC_VERSION) {
    return { problems: [problem(`this is a version ${value} spec; loadspec ${VERSION} reads version ${SPEC_VERSION}`, ERROR_CODES.LOADSPEC_SPEC_VERSION.hint, at)] };
  }
  return { version: value, problems: [] };
}

/** Brings a raw spec of an older version up to SPEC_VERSION. */
export function migrate(raw: Record<string, unknown>, fromVersion: number): Record<string, unknown> {
  let current = raw;
  for (let version = fromVersion; version < SPEC_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from spec version ${version}`);
    current = { ...step(current), version: version + 1 };
  }
  return current;
}
