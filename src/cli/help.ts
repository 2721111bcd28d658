/** --help text, generated from the command list and the flag table. */
import { flagsFor, type CommandName } from './flags.js';
import type { Command } from './command.js';

export function commandHelp(command: Command): string {
  const lines = [`Usage: loadspec ${command.usage}`, '', command.summary, '', 'Flags:'];
  for (const flag of flagsFor(command.name as CommandName)) {
    const short = flag.short ? `-${flag.short}, ` : '    ';
    const value = flag.value ? ` ${flag.value}` : '';
    lines.push(`  ${short}--${flag.name}${value}`.padEnd(34) + flag.description);
  }
  return lines.join('\n') + '\n';
}

export function mainHelp(commands: readonly Command[]): string {
  const lines = ['Usage: loadspec <command> [flags]', '', 'Load tests for AI voice receptionists, from versioned YAML specs.', '', 'Commands:'];
  for (const command of commands) lines.push(`  ${command.name.padEnd(10)}${command.summary}`);
  lines.push('', 'Run `loadspec <command> --help` for its flags.', 'Exit codes: 0 passed, 1 thresholds failed, 2 invalid spec or usage, 3 run could not complete, 130 interrupted.');
  return lines.join('\n') + '\n';
}
