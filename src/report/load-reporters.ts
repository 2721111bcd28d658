/**
 * Builds the run's reporters from `--reporter` and `--live`: the live view (always one,
 * in the mode --live picks), built-ins by name, and users' modules by path. A module's
 * default export is a reporter object, or a factory (function or class) that makes one
 * from the ReporterContext; anything else is LOADSPEC_REPORTER_INVALID.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliIO } from '../cli/io.js';
import { LoadspecError } from '../errors.js';
import { BUILTIN_REPORTERS, type ReporterContext } from './builtin-reporters.js';
import type { LiveMode } from './live/live-reporter.js';
import type { Reporter } from './reporter.js';

export type LiveOption = 'auto' | 'tty' | 'lines' | 'json' | 'off';

export const DEFAULT_LIVE_INTERVAL_MS = 10_000;

const HOOKS = ['onBegin', 'onInterval', 'onCallEnd', 'onEnd', 'onExit'] as const;

export async function createReporters(options: { names: readonly string[]; live: LiveOption; liveIntervalMs: number; io: CliIO }): Promise<Reporter[]> {
  const ctx: ReporterContext = {
    stdout: options.io.stdout,
    stderr: options.io.stderr,
    env: options.io.env,
    cwd: options.io.cwd,
    live: resolveLiveMode(options.live, options.io),
    liveIntervalMs: options.liveIntervalMs > 0 ? options.liveIntervalMs : DEFAULT_LIVE_INTERVAL_MS,
  };
  const reporters: Reporter[] = [await BUILTIN_REPORTERS.live!(ctx)];
  const seen = new Set(['live']);
  for (const name of options.names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const factory = Object.hasOwn(BUILTIN_REPORTERS, name) ? BUILTIN_REPORTERS[name] : undefined;
    if (factory) reporters.push(await factory(ctx));
    else if (looksLikePath(name)) reporters.push(await loadReporterModule(name, ctx));
    else throw new LoadspecError('LOADSPEC_REPORTER_INVALID', `unknown reporter "${name}"; built-in reporters: ${Object.keys(BUILTIN_REPORTERS).join(', ')}, or give a path to a module`);
  }
  return reporters;
}

/** `auto`: a redrawn panel on a terminal, lines otherwise (CI logs, pipes, TERM=dumb). */
export function resolveLiveMode(live: LiveOption, io: Pick<CliIO, 'stdout' | 'env'>): LiveMode {
  if (live === 'off') return 'quiet';
  if (live !== 'auto') return live;
  return io.stdout.isTTY === true && io.env.TERM !== 'dumb' ? 'tty' : 'lines';
}

function looksLikePath(name: string): boolean {
  return /[\\/]/.test(name) || /\.(m|c)?[jt]s$/.test(name);
}

/**
 * How long a module's onBegin, onEnd or onExit may take. The run awaits these, so a hook
 * that never settles would hang the run after every call had ended, with nothing written
 * after it; past the limit the hook counts as failed and the run goes on.
 */
export const REPORTER_HOOK_LIMIT_MS = 30_000;
const AWAITED_HOOKS: ReadonlySet<string> = new Set(['onBegin', 'onEnd', 'onExit']);

export async function loadReporterModule(specifier: string, ctx: ReporterContext, hookLimitMs = REPORTER_HOOK_LIMIT_MS): Promise<Reporter> {
  const file = path.resolve(ctx.cwd, specifier);
  if (!existsSync(file)) throw new LoadspecError('LOADSPEC_REPORTER_INVALID', `reporter module ${specifier} not found (looked at ${file})`);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new LoadspecError('LOADSPEC_REPORTER_INVALID', `reporter module ${specifier} failed to load: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let candidate = mod.default;
  if (typeof candidate === 'function') {
    const make = candidate as (c: ReporterContext) => unknown;
    try {
      candidate = await (isClass(make) ? new (make as unknown as new (c: ReporterContext) => unknown)(ctx) : make(ctx));
    } catch (error) {
      throw new LoadspecError('LOADSPEC_REPORTER_INVALID', `reporter module ${specifier}: its factory threw: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  return asReporter(candidate, specifier, hookLimitMs);
}

function isClass(fn: unknown): boolean {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/** A reporter with its hooks bound, named after the module when it has no name. */
function asReporter(value: unknown, specifier: string, hookLimitMs: number): Reporter {
  const problem = (why: string): LoadspecError =>
    new LoadspecError('LOADSPEC_REPORTER_INVALID', `reporter module ${specifier}: ${why}; export default an object with hooks (${HOOKS.join(', ')}) or a function returning one`);
  if (typeof value !== 'object' || value === null) throw problem(`its default export is ${value === null ? 'null' : typeof value}`);
  const record = value as Record<string, unknown>;
  const bad = HOOKS.filter((h) => record[h] !== undefined && typeof record[h] !== 'function');
  if (bad.length > 0) throw problem(`${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not a function`);
  const hooks = HOOKS.filter((h) => typeof record[h] === 'function');
  if (hooks.length === 0) throw problem('it has none of the reporter hooks');
  const reporter: Record<string, unknown> = { name: typeof record.name === 'string' && record.name !== '' ? record.name : specifier };
  for (const h of hooks) {
    const hook = (record[h] as (...args: unknown[]) => unknown).bind(value);
    reporter[h] = AWAITED_HOOKS.has(h) ? timeLimited(hook, hookLimitMs) : hook;
  }
  return reporter as unknown as Reporter;
}

/** The hook, rejecting when its promise has not settled within limitMs. */
function timeLimited(hook: (...args: unknown[]) => unknown, limitMs: number): (...args: unknown[]) => unknown {
  return (...args) => {
    const result = hook(...args);
    if (!(result instanceof Promise) && typeof (result as { then?: unknown } | undefined)?.then !== 'function') return result;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      // Not unref'd: a hook that never settles may leave nothing else to keep the process
      // alive, and it would then end silently, before the results were written.
      timer = setTimeout(() => reject(new Error(`did not finish within ${limitMs / 1000}s`)), limitMs);
    });
    return Promise.race([Promise.resolve(result), limit]).finally(() => clearTimeout(timer));
  };
}
