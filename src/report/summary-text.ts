/**
 * The final summary `loadspec run` prints: every number the run is judged by, in the metric
 * registry's names, so what a user reads here is what they write in thresholds.
 */
import type { Breakdown, RunSummary, TrendStats } from '../metrics/summary.js';
import { TREND_METRICS } from '../metrics/registry.js';
import { formatBytes, formatCount, formatDuration, formatMeasured, formatMs, formatPercent, formatUsd, verdictWord } from './format.js';
import { LLM_PROVIDER } from '../metrics/cost.js';
import { pad, table } from './live/text.js';

export interface SummaryTextOptions {
  /** Where the results were written. */
  readonly outDir?: string;
  /** Files written into outDir (calls.jsonl, report.html...), listed under it. */
  readonly files?: readonly string[];
}

const MARK = { passed: '✓', failed: '✗', aborted: '✗' } as const;
/** Width of the label column, so the summary's blocks line up. */
const LABEL = 11;

function label(text: string): string {
  return pad(text, LABEL);
}

export function renderSummary(summary: RunSummary, o: SummaryTextOptions = {}): string {
  const c = summary.calls;
  const completed = c.passed + c.failed + c.errored;
  const out: string[] = [];
  const stopped = summary.run.abortReason ? ` (stopped: ${summary.run.abortReason})` : '';
  out.push(`loadspec · ${summary.spec.name} · ${summary.verdict.toUpperCase()}${stopped}`);
  out.push(`  ${formatDuration(summary.run.durationMs)} · seed ${summary.spec.seed} · run ${summary.run.id}`, '');

  out.push(
    ...table(
      [
        [label('calls'), `planned ${formatCount(c.planned)}`, `started ${formatCount(c.started)}`, `dropped ${formatCount(c.dropped)}`],
        [label('outcome'), `passed ${formatCount(c.passed)}`, `failed ${formatCount(c.failed)}`, `errored ${formatCount(c.errored)}`],
        [label('success'), `${formatPercent(completed > 0 ? c.passed / completed : 0)} passed`, `failure_rate ${formatPercent(summary.failureRate)}`, `drop_rate ${formatPercent(summary.dropRate)}`],
      ],
      { indent: '  ' },
    ),
    `  ${label('peak_active')}  ${formatCount(c.peakActive)} calls at once`,
    `  ${label('duration')}  avg ${formatMs(summary.trends.call_duration.mean)} per call (call_duration)`,
    '',
  );

  out.push(...trendTable(summary.trends), '');

  out.push('  failures by code');
  const errors = Object.entries(summary.errors);
  if (errors.length === 0) out.push('    none');
  out.push(...table(errors.map(([code, n]) => [code, formatCount(n), `${formatPercent(c.started > 0 ? n / c.started : 0)} of started`]), { indent: '    ', right: [1] }));
  out.push('');

  out.push(...costLines(summary), '');

  for (const [title, cuts] of [
    ['scenario', summary.scenarios],
    ['variant', summary.variants],
    ['segment', summary.segments],
  ] as const) {
    if (Object.keys(cuts).length < 1 || (title !== 'scenario' && Object.keys(cuts).length < 2)) continue;
    out.push(...cutTable(title, cuts), '');
  }

  if (summary.thresholds.length > 0) {
    out.push('  thresholds');
    out.push(
      ...table(
        summary.thresholds.map((t) => [MARK[verdictWord(t)], t.key, t.expression, `measured ${formatMeasured(t)}`, t.reason ? `(${t.reason})` : t.aborted ? '(stopped the run)' : '']),
        { indent: '    ' },
      ),
      '',
    );
  }

  const r = summary.resources;
  if (r) {
    out.push(`  ${label('loadspec')}  cpu max ${Math.round(r.cpuPercentMax)}% (mean ${Math.round(r.cpuPercentMean)}%) · rss max ${formatBytes(r.rssMaxBytes)} · loop lag p99 ${formatMs(r.loopLagP99Ms)} · ${r.threads} threads`);
    if (r.saturated) out.push("  ! loadspec's own CPU passed 80% of this machine: its measured times may understate how fast the target is");
    out.push('');
  }
  if (o.outDir) {
    out.push(`  ${label('results')}  ${o.outDir}`);
    for (const f of o.files ?? []) out.push(`  ${label('')}  ${f}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function trendTable(trends: Readonly<Record<string, TrendStats>>): string[] {
  const head = ['', 'count', 'min', 'avg', 'p50', 'p90', 'p95', 'p99', 'max'];
  const rows = TREND_METRICS.map((name) => {
    const t = trends[name];
    if (!t || t.count === 0) return [name, '0', '–', '–', '–', '–', '–', '–', '–'];
    return [name, formatCount(t.count), ...[t.min, t.mean, t.p50, t.p90, t.p95, t.p99, t.max].map(formatMs)];
  });
  return table([head, ...rows], { indent: '  ', right: [1, 2, 3, 4, 5, 6, 7, 8] });
}

function costLines(summary: RunSummary): string[] {
  const cost = summary.cost;
  const budget = cost.budgetUsd !== undefined ? ` · budget ${formatUsd(cost.budgetUsd)}` : '';
  const lines = [`  ${label('cost')}  ${formatUsd(cost.totalUsd)} total · ${formatUsd(cost.perCallUsd)} per started call${budget}`];
  const rows: string[][] = [];
  for (const [provider, p] of Object.entries(cost.byProvider)) {
    rows.push([provider, formatUsd(p.usd), p.requests > 0 ? `${formatCount(p.requests)} requests` : '', p.inputTokens + p.outputTokens > 0 ? `tokens ${formatCount(p.inputTokens)} in / ${formatCount(p.outputTokens)} out` : '']);
    if (provider !== LLM_PROVIDER) continue;
    for (const [model, m] of Object.entries(cost.byModel)) {
      rows.push([`  ${model}`, formatUsd(m.usd), `${formatCount(m.requests)} requests`, `tokens ${formatCount(m.inputTokens)} in / ${formatCount(m.outputTokens)} out`]);
    }
  }
  return [...lines, ...table(rows, { indent: '    ', right: [1] })];
}

function cutTable(tag: string, cuts: Readonly<Record<string, Breakdown>>): string[] {
  const head = [tag, 'started', 'passed', 'failed', 'errored', 'dropped', 'failure_rate', 'response p95', 'cost'];
  const rows = Object.entries(cuts).map(([name, b]) => [
    name,
    formatCount(b.calls.started),
    formatCount(b.calls.passed),
    formatCount(b.calls.failed),
    formatCount(b.calls.errored),
    formatCount(b.calls.dropped),
    formatPercent(b.failureRate),
    b.trends.response_time.count > 0 ? formatMs(b.trends.response_time.p95) : '–',
    formatUsd(b.costUsd),
  ]);
  return table([head, ...rows], { indent: '  ', right: [1, 2, 3, 4, 5, 6, 7, 8] });
}

