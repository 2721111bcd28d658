/**
 * Every documented LOADSPEC_* code must be one a user can actually meet: a code that no
 * source file raises is a promise in the README that loadspec never keeps.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';

const SRC = path.join(import.meta.dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && full !== path.join(SRC, 'errors.ts') ? [full] : [];
  });
}

describe('error codes', () => {
  it('every LOADSPEC_* code is raised somewhere outside src/errors.ts', () => {
    const text = sources(SRC).map((file) => readFileSync(file, 'utf8')).join('\n');
    const unused = Object.keys(ERROR_CODES).filter((code) => !new RegExp(`['"\`]${code}['"\`]`).test(text));
    expect(unused).toEqual([]);
  });
});
