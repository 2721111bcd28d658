/**
 * Every CLI flag, declared once as typed data. Parsing, `--help` and the README's flag
 * tables all come from this table (a test checks the README documents every flag).
 */
export const COMMANDS = ['run', 'validate', 'plan', 'init', 'report', 'demo'] as const;
export type CommandName = (typeof COMMANDS)[number];

export type FlagType = 'string' | 'integer' | 'number' | 'boolean';

export interface FlagDef {
  readonly name: string;
  readonly type: FlagType;
  readonly short?: string;
  /** Shown in --help after the flag, e.g. `N`, `DIR`. */
  readonly value?: string;
  readonly description: string;
  /** May be given more than once; the values collect into an array. */
  readonly multiple?: boolean;
  readonly choices?: readonly string[];
  readonly commands: readonly CommandName[] | 'all';
}

const RUN_OVERRIDES: readonly CommandName[] = ['run', 'plan'];

export const FLAGS: readonly FlagDef[] = [
  { name: 'help', short: 'h', type: 'boolean', description: 'show help for the command', commands: 'all' },
  { name: 'version', short: 'v', type: 'boolean', description: "print loadspec's version", commands: 'all' },
  { name: 'calls', type: 'integer', value: 'N', description: 'total calls to place (overrides load.calls)', commands: RUN_OVERRIDES },
  { name: 'concurrency', type: 'integer', value: 'N', description: 'most calls at once (overrides load.concurrency)', commands: RUN_OVERRIDES },
  { name: 'pacing', type: 'string', value: 'RATE', description: 'one constant arrival rate, e.g. 5/s, 0.5/s, 30/min or a bare number of calls/s (replaces load.phases)', commands: RUN_OVERRIDES },
  { name: 'scenarios', type: 'string', value: 'A,B', description: 'place only these scenarios (comma-separated names), keeping their relative weights', commands: RUN_OVERRIDES },
  { name: 'seed', type: 'integer', value: 'N', description: 'seed for every random choice (overrides load.seed)', commands: RUN_OVERRIDES },
  { name: 'threads', type: 'integer', value: 'N', description: 'worker threads (default: one per core)', commands: ['run'] },
  { name: 'out', short: 'o', type: 'string', value: 'DIR', description: 'results folder (run: default a fresh folder under loadspec-results/; report: where to write, default the folder read)', commands: ['run', 'report'] },
  { name: 'reporter', short: 'r', type: 'string', value: 'NAME|PATH', multiple: true, description: 'add a reporter: html, json, junit, github, or a path to a module (repeatable; the live view and calls.jsonl are always on)', commands: ['run'] },
  { name: 'live', type: 'string', value: 'MODE', choices: ['auto', 'tty', 'lines', 'json', 'off'], description: 'live view: a redrawn panel on a terminal, a line every --live-interval otherwise, JSON per interval, or off (default auto)', commands: ['run'] },
  { name: 'live-interval', type: 'string', value: 'DURATION', description: 'time between live lines when not on a terminal (default 10s)', commands: ['run'] },
  { name: 'interval', type: 'string', value: 'DURATION', description: 'metrics interval: how often workers ship snapshots (default 1s)', commands: ['run'] },
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', choices: ['text', 'json'], description: 'output format for machines (default text)', commands: ['validate', 'plan'] },
  { name: 'samples', type: 'integer', value: 'N', description: 'sample personas to show (default 3)', commands: ['plan'] },
  { name: 'force', type: 'boolean', description: 'overwrite an existing file', commands: ['init'] },
  { name: 'host', type: 'string', value: 'HOST', description: 'address to listen on (default 127.0.0.1)', commands: ['demo'] },
  { name: 'port', short: 'p', type: 'integer', value: 'PORT', description: 'port to listen on (default 0: a free port, printed)', commands: ['demo'] },
  { name: 'latency', type: 'string', value: 'DURATION', description: "the demo agent's response latency (default 200ms)", commands: ['demo'] },
  { name: 'capacity', type: 'integer', value: 'N', description: 'turns the demo serves at once; more queue (default 50)', commands: ['demo'] },
  { name: 'faults', type: 'string', value: 'LIST', description: 'fault rates, e.g. http_5xx=2%,rate_limited=1%,drop=0.5%,hang=0.1%,garbage=1%', commands: ['demo'] },
];

export function flagsFor(command: CommandName): readonly FlagDef[] {
  return FLAGS.filter((f) => f.commands === 'all' || f.commands.includes(command));
}
