import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALL_ERROR_CODES, ERROR_CODES, EXIT } from '../src/errors.js';

const readme = readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('error registry', () => {
  it.each(Object.keys(ERROR_CODES))('documents %s in the README', (code) => {
    expect(readme).toContain(`\`${code}\``);
  });
  it.each(Object.keys(CALL_ERROR_CODES))('documents call error code %s in the README', (code) => {
    expect(readme).toContain(`\`${code}\``);
  });
  it('documents every exit code', () => {
    for (const code of Object.values(EXIT)) expect(readme).toMatch(new RegExp(`\\|\\s*${code}\\s*\\|`));
  });
});
