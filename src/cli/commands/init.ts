/** `loadspec init [file]`: writes a commented starter spec that validates and runs as is. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, LoadspecError } from '../../errors.js';
import { SCHEMA_PATH } from '../../spec/schema.js';
import { starterSpec } from '../../spec/starter.js';
import type { Command } from '../command.js';

const WRITE_ERRORS: Readonly<Record<string, string>> = {
  EEXIST: 'a file is in the way of its folder',
  ENOTDIR: 'a file is in the way of its folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  EROFS: 'the file system is read-only',
};

export const initCommand: Command = {
  name: 'init',
  usage: 'init [file] [--force]',
  summary: 'write a commented starter spec (default loadspec.yaml)',
  async run({ positionals, flags, io }) {
    if (positionals.length > 1) {
      throw new LoadspecError('LOADSPEC_USAGE', `loadspec init takes one file name, not ${positionals.length}`, { hint: 'usage: loadspec init [file] [--force]' });
    }
    const file = positionals[0] ?? 'loadspec.yaml';
    const absolute = path.resolve(io.cwd, file);
    if (existsSync(absolute) && flags.force !== true) {
      throw new LoadspecError('LOADSPEC_USAGE', `${file} already exists; not overwriting it`, { hint: 'pass --force to overwrite, or name another file: loadspec init other.yaml' });
    }
    let schema = path.relative(path.dirname(absolute), SCHEMA_PATH).split(path.sep).join('/');
    if (!schema.startsWith('.')) schema = `./${schema}`;
    try {
      await mkdir(path.dirname(absolute), { recursive: true });
      await writeFile(absolute, starterSpec(schema), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      const reason = WRITE_ERRORS[code] ?? (error instanceof Error ? error.message : String(error));
      throw new LoadspecError('LOADSPEC_USAGE', `cannot write ${file} (${reason})`, { hint: 'choose a path in a folder you can write to' });
    }
    io.stdout.write(`wrote ${file}\nnext: loadspec validate ${file}   then: loadspec plan ${file}   then: loadspec run ${file}\n`);
    return EXIT.passed;
  },
};
