import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLAGS } from '../src/cli/flags.js';
import { parseCommandArgs } from '../src/cli/args.js';
import { LoadspecError } from '../src/errors.js';
import { BUILTIN_REPORTERS } from '../src/report/builtin-reporters.js';

const readme = readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('flag table', () => {
  it.each(FLAGS.map((f) => f.name))('documents --%s in the README', (name) => {
    expect(readme).toContain(`--${name}`);
  });

  it('names in --reporter help exactly the reporters that can be added by name', () => {
    const help = FLAGS.find((f) => f.name === 'reporter')!.description;
    const listed = /add a reporter: ([a-z, ]+), or a path/.exec(help)?.[1]?.split(', ');
    const addable = Object.keys(BUILTIN_REPORTERS).filter((name) => name !== 'live');
    expect(listed).toEqual(addable);
  });

  it('parses typed values and rejects bad ones with the flag named', () => {
    expect(parseCommandArgs('run', ['spec.yaml', '--calls', '20', '--reporter', 'a', '-r', 'b']).flags).toMatchObject({ calls: 20, reporter: ['a', 'b'] });
    expect(() => parseCommandArgs('run', ['--calls', 'many'])).toThrow(/--calls expects a whole number, not "many"/);
    expect(() => parseCommandArgs('run', ['--live', 'fancy'])).toThrow(/--live must be one of auto, tty, lines, json, off/);
    try {
      parseCommandArgs('validate', ['--calls', '3']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LoadspecError);
      expect((error as LoadspecError).code).toBe('LOADSPEC_USAGE');
      expect((error as LoadspecError).message).toMatch(/Unknown option '--calls'/);
    }
  });
});
