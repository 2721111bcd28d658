/**
 * Built-in reporters by name, for `--reporter NAME`. Adding one is one line here: its name
 * and a factory. `loadspec --help` and the README list these names.
 */
import type { CliIO } from '../cli/io.js';
import type { Reporter } from './reporter.js';
import { LiveReporter, type LiveMode } from './live/live-reporter.js';
import { GithubSummaryReporter } from './github.js';
import { HtmlReporter } from './html/reporter.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';

/** What a reporter factory gets: built-in or a user's module. */
export interface ReporterContext {
  readonly stdout: CliIO['stdout'];
  readonly stderr: CliIO['stderr'];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** The live view's mode after `auto` was resolved; `quiet` for `--live off`. */
  readonly live: LiveMode;
  readonly liveIntervalMs: number;
}

export type ReporterFactory = (ctx: ReporterContext) => Reporter | Promise<Reporter>;

export const BUILTIN_REPORTERS: Readonly<Record<string, ReporterFactory>> = {
  live: (ctx) => new LiveReporter({ mode: ctx.live, stdout: ctx.stdout, stderr: ctx.stderr, liveIntervalMs: ctx.liveIntervalMs }),
  html: () => new HtmlReporter(),
  json: () => new JsonReporter(),
  junit: () => new JunitReporter(),
  github: (ctx) => new GithubSummaryReporter(ctx.env),
};
