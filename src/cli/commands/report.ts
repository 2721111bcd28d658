/**
 * `loadspec report <results-dir> [--out DIR]`: re-renders report.html, summary.json and
 * junit.xml (and the GitHub step summary, when $GITHUB_STEP_SUMMARY is set) from a run's
 * calls.jsonl and run.json, without placing a call. The thresholds are evaluated again,
 * so the exit code is the run's verdict: 0 passed, 1 failed or stopped by a threshold.
 */
import path from 'node:path';
import { LoadspecError } from '../../errors.js';
import { GithubSummaryReporter } from '../../report/github.js';
import { HtmlReporter } from '../../report/html/reporter.js';
import { JsonReporter } from '../../report/json.js';
import { JunitReporter } from '../../report/junit.js';
import { readResultsDir } from '../../report/results-dir.js';
import { rerender } from '../../report/rerender.js';
import type { Reporter } from '../../report/reporter.js';
import { exitCodeFor } from '../../thresholds/evaluate.js';
import type { Command } from '../command.js';

export const reportCommand: Command = {
  name: 'report',
  usage: 'report <results-dir> [--out DIR]',
  summary: "re-render a run's report.html, summary.json and junit.xml from its calls.jsonl, placing no calls",
  async run({ positionals, flags, io }) {
    const [dirArg, ...extra] = positionals;
    if (dirArg === undefined || extra.length > 0) {
      throw new LoadspecError('LOADSPEC_USAGE', 'loadspec report: name exactly one results folder', { hint: 'usage: loadspec report loadspec-results/<run> [--out DIR]' });
    }
    const dir = path.resolve(io.cwd, dirArg);
    const outDir = typeof flags.out === 'string' ? path.resolve(io.cwd, flags.out) : dir;
    const results = readResultsDir(dir);
    for (const warning of results.warnings) io.stderr.write(`warning: ${warning}\n`);
    const reporters: Reporter[] = [new HtmlReporter(), new JsonReporter(), new JunitReporter(), ...(io.env.GITHUB_STEP_SUMMARY ? [new GithubSummaryReporter(io.env)] : [])];
    const summary = await rerender(results, reporters, outDir);
    const passed = summary.thresholds.filter((t) => t.passed).length;
    io.stdout.write(
      `loadspec · ${summary.spec.name} · ${summary.verdict.toUpperCase()} · ${passed} of ${summary.thresholds.length} thresholds passed · ${results.outcomes.length} calls\n` +
        `  wrote report.html, summary.json, junit.xml to ${outDir}\n`,
    );
    return exitCodeFor(summary);
  },
};
