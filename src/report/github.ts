/**
 * A short markdown summary appended to `$GITHUB_STEP_SUMMARY` (GitHub Actions shows it on
 * the run's page): the verdict, the thresholds, the calls and the scenarios. Text from the
 * spec is escaped so a name cannot break the table or inject HTML.
 */
import { appendFileSync } from 'node:fs';
import type { RunSummary } from '../metrics/summary.js';
import { formatCount, formatDuration, formatMeasured, formatMs, formatPercent, formatUsd, verdictWord } from './format.js';
import type { Reporter } from './reporter.js';

/** Text inside a code span: literal except for the table's pipe and the span's own backticks. */
export function markdownCode(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
}

export function markdownEscape(text: string): string {
  return text.replace(/[\\`*_[\]<>|&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`)).replace(/\r?\n/g, ' ');
}

const ICON = { passed: '✅', failed: '❌', aborted: '⛔' } as const;

export function renderGithubSummary(summary: RunSummary): string {
  const c = summary.calls;
  const success = c.started > 0 ? c.passed / c.started : 0;
  const lines = ['', `### ${ICON[summary.verdict]} loadspec ${markdownEscape(summary.spec.name)}: ${summary.verdict}`, ''];
  if (summary.run.abortReason) lines.push(`Stopped early: ${markdownEscape(summary.run.abortReason)}.`, '');
  lines.push(
    `${formatCount(c.started)} of ${formatCount(c.planned)} calls started in ${formatDuration(summary.run.durationMs)} · ${formatPercent(success)} passed · ` +
      `response p95 ${formatMs(summary.trends.response_time.p95)} · peak ${formatCount(c.peakActive)} at once · ${formatUsd(summary.cost.totalUsd)} · seed ${summary.spec.seed}`,
    '',
  );
  if (summary.thresholds.length > 0) {
    lines.push('| | threshold | measured | |', '|---|---|---|---|');
    for (const t of summary.thresholds) {
      const word = verdictWord(t);
      lines.push(`| ${ICON[word]} | ${markdownCode(t.key)} ${markdownCode(t.expression)} | ${formatMeasured(t)} | ${word}${t.reason ? ` (${markdownEscape(t.reason)})` : ''} |`);
    }
    lines.push('');
  }
  const scenarios = Object.entries(summary.scenarios);
  if (scenarios.length > 0) {
    lines.push('| scenario | calls | passed | failed | errored | dropped | failure rate | response p95 |', '|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const [name, b] of scenarios) {
      lines.push(`| ${markdownEscape(name)} | ${b.calls.planned} | ${b.calls.passed} | ${b.calls.failed} | ${b.calls.errored} | ${b.calls.dropped} | ${formatPercent(b.failureRate)} | ${formatMs(b.trends.response_time.p95)} |`);
    }
    lines.push('');
  }
  const errors = Object.entries(summary.errors).sort((a, b) => b[1] - a[1]);
  if (errors.length > 0) lines.push(`Errors: ${errors.map(([code, n]) => `${markdownCode(code)} ${n}`).join(' · ')}`, '');
  return `${lines.join('\n')}\n`;
}

export class GithubSummaryReporter implements Reporter {
  readonly name = 'github';

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  onEnd(summary: RunSummary): void {
    const file = this.env.GITHUB_STEP_SUMMARY;
    if (!file) return;
    appendFileSync(file, renderGithubSummary(summary));
  }
}
