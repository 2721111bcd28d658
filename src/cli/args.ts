/** Parses argv for one command against the flag table, with errors a user can act on. */
import { parseArgs } from 'node:util';
import { LoadspecError } from '../errors.js';
import { flagsFor, type CommandName, type FlagDef } from './flags.js';

export type FlagValue = string | number | boolean | string[];
export type ParsedFlags = Readonly<Record<string, FlagValue | undefined>>;

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: ParsedFlags;
}

export function parseCommandArgs(command: CommandName, argv: readonly string[]): ParsedArgs {
  const defs = flagsFor(command);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const def of defs) {
    options[def.name] = {
      type: def.type === 'boolean' ? 'boolean' : 'string',
      ...(def.short ? { short: def.short } : {}),
      ...(def.multiple ? { multiple: true } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new LoadspecError('LOADSPEC_USAGE', usageMessage(command, error), { hint: `run \`loadspec ${command} --help\` for its flags` });
  }
  const flags: Record<string, FlagValue | undefined> = {};
  for (const def of defs) {
    const raw = (parsed.values as Record<string, string | boolean | string[] | undefined>)[def.name];
    if (raw === undefined) continue;
    flags[def.name] = convert(def, raw);
  }
  return { positionals: parsed.positionals, flags };
}

function usageMessage(command: CommandName, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // A value starting with a dash (`--calls -3`): node's three-line advice, said in one line.
  const ambiguous = /^Option '(-[^' ]+)[^']*' argument is ambiguous/.exec(text);
  if (ambiguous) {
    const long = /use '(--[^=']+)=/.exec(text)?.[1] ?? ambiguous[1];
    return `loadspec ${command}: ${ambiguous[1]} is followed by a value that starts with a dash; write ${long}=VALUE if that is its value`;
  }
  // node's messages name the flag and what went wrong; drop its advice about `--` forms.
  const firstSentence = text.split(/\. To specify|\n/)[0] ?? text;
  return `loadspec ${command}: ${firstSentence.replace(/\.$/, '')}`;
}

function convert(def: FlagDef, raw: string | boolean | string[]): FlagValue {
  if (def.type === 'boolean' || typeof raw === 'boolean') return raw;
  if (Array.isArray(raw)) return raw;
  if (def.choices && !def.choices.includes(raw)) {
    throw new LoadspecError('LOADSPEC_USAGE', `--${def.name} must be one of ${def.choices.join(', ')}, not "${raw}"`);
  }
  if (def.type === 'integer') {
    if (!/^-?\d+$/.test(raw.trim())) {
      throw new LoadspecError('LOADSPEC_USAGE', `--${def.name} expects a whole number, not "${raw}"`);
    }
    return Number.parseInt(raw, 10);
  }
  if (def.type === 'number') {
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new LoadspecError('LOADSPEC_USAGE', `--${def.name} expects a number, not "${raw}"`);
    return value;
  }
  return raw;
}
