/**
 * The view model of report.html: every number already formatted, every text still raw
 * (the templates escape it). Charts arrive as SVG strings built by charts.ts.
 */
import { CALL_ERROR_CODES } from '../../errors.js';
import type { AbTestResult, Breakdown, RunSummary } from '../../metrics/summary.js';
import type { CallOutcome } from '../../results/types.js';
import { formatBytes, formatCount, formatDuration, formatMeasured, formatMs, formatPercent, formatUsd, verdictWord } from '../format.js';
import type { RunInfo } from '../reporter.js';
import { lineChart, stackedBars } from './charts.js';
import { coarsen } from './coarsen.js';

const COLORS = { blue: '#3d6fa8', teal: '#2f8f83', slate: '#8a94a6', amber: '#c98a1b', rose: '#b5475a', violet: '#7057a6' } as const;
const CODE_COLORS = ['#b5475a', '#c98a1b', '#7057a6', '#3d6fa8', '#2f8f83', '#8a6d4e', '#5f6b7a', '#a05a9c'];

export interface ReportView {
  readonly title: string;
  readonly generatedAt: string;
  readonly spec: RunSummary['spec'];
  readonly run: Record<string, string | undefined>;
  readonly verdict: { readonly word: string; readonly passedCount: number; readonly total: number; readonly abortReason?: string };
  readonly thresholds: readonly Record<string, string | boolean>[];
  readonly load: Record<string, unknown>;
  readonly charts: readonly { readonly svg: string }[];
  readonly breakdowns: readonly { readonly title: string; readonly tag: string; readonly rows: readonly Record<string, string>[] }[];
  readonly ab?: Record<string, unknown>;
  readonly transcripts: readonly Record<string, unknown>[];
  readonly settings: readonly { readonly name: string; readonly value: string }[];
}

function intervalSeconds(summary: RunSummary, info: RunInfo | undefined): number {
  const [a, b] = summary.series;
  const ms = info?.intervalMs ?? (a && b ? b.startOffsetMs - a.startOffsetMs : 1000);
  return Math.max(0.001, ms / 1000);
}

function charts(summary: RunSummary, info: RunInfo | undefined): { svg: string }[] {
  const { points: series, perPoint } = coarsen(summary.series);
  const xs = series.map((p) => p.startOffsetMs / 1000);
  const perSec = intervalSeconds(summary, info) * perPoint;
  const rate = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)}/s`;
  const calls = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  const ms = (v: number) => formatMs(v);
  const rt = (f: (p: (typeof series)[number]) => number) => series.map((p) => (p.responseTime.count > 0 ? f(p) : null));
  const codes = [...new Set(series.flatMap((p) => Object.keys(p.errors)))].sort();
  return [
    {
      svg: lineChart({
        title: 'Active calls',
        xs,
        formatY: calls,
        integer: true,
        series: [
          { name: 'active', values: series.map((p) => p.active), color: COLORS.blue },
          { name: 'queued', values: series.map((p) => p.queued), color: COLORS.slate, dashed: true },
        ],
      }),
    },
    {
      svg: lineChart({
        title: 'Start rate vs target',
        xs,
        formatY: rate,
        series: [
          { name: 'started', values: series.map((p) => p.started / perSec), color: COLORS.teal },
          { name: 'target', values: series.map((p) => p.targetStarts / perSec), color: COLORS.slate, dashed: true },
        ],
      }),
    },
    {
      svg: lineChart({
        title: 'Response time',
        xs,
        formatY: ms,
        series: [
          { name: 'p50', values: rt((p) => p.responseTime.p50), color: COLORS.teal },
          { name: 'p95', values: rt((p) => p.responseTime.p95), color: COLORS.amber },
          { name: 'p99', values: rt((p) => p.responseTime.p99), color: COLORS.rose },
        ],
      }),
    },
    {
      svg: stackedBars({
        title: 'Failures by code',
        xs,
        segments: codes.map((name, i) => ({ name, color: CODE_COLORS[i % CODE_COLORS.length]! })),
        values: series.map((p) => codes.map((c) => p.errors[c] ?? 0)),
        emptyText: 'No failed or errored calls',
      }),
    },
  ];
}

function breakdownRow(name: string, b: Breakdown): Record<string, string> {
  const rt = b.trends.response_time;
  return {
    name,
    planned: formatCount(b.calls.planned),
    passed: formatCount(b.calls.passed),
    failed: formatCount(b.calls.failed),
    errored: formatCount(b.calls.errored),
    dropped: formatCount(b.calls.dropped),
    failureRate: formatPercent(b.failureRate),
    p50: rt.count ? formatMs(rt.p50) : '–',
    p95: rt.count ? formatMs(rt.p95) : '–',
    p99: rt.count ? formatMs(rt.p99) : '–',
    duration: b.trends.call_duration.count ? formatMs(b.trends.call_duration.mean) : '–',
    cost: formatUsd(b.costUsd),
  };
}

function abResult(r: AbTestResult, format: (v: number) => string): Record<string, string | boolean> {
  return {
    test: r.test,
    baseline: format(r.baseline),
    variant: format(r.variant),
    n: `${r.baselineN} vs ${r.variantN}`,
    pValue: r.pValue === null ? '–' : r.pValue < 0.0001 ? '< 0.0001' : r.pValue.toFixed(4),
    significant: r.significant,
    verdict: r.pValue === null ? 'not tested' : r.significant ? 'significant' : 'not significant',
    note: r.note ?? '',
  };
}

function transcript(o: CallOutcome): Record<string, unknown> {
  return {
    title: `Call ${o.index}`,
    status: o.status,
    scenario: o.scenario,
    variant: o.variant,
    persona: o.personaId,
    code: o.errorCode ?? '',
    message: o.errorMessage ?? '',
    duration: o.durationMs === undefined ? '–' : formatMs(o.durationMs),
    checks: o.checkFailures.map((c) => ({ check: c.check, actual: c.actual })),
    turns: o.turns.map((t) => ({ index: t.index + 1, said: t.said, reply: t.reply, response: t.responseMs === undefined ? 'no reply' : formatMs(t.responseMs) })),
  };
}

function settingValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function buildView(summary: RunSummary, info: RunInfo | undefined, failedSamples: readonly CallOutcome[]): ReportView {
  const c = summary.calls;
  const cost = summary.cost;
  const errors = Object.entries(summary.errors).sort((a, b) => b[1] - a[1]);
  const failuresTotal = errors.reduce((sum, [, count]) => sum + count, 0);
  const ab = summary.abTest;
  return {
    title: `${summary.spec.name} · loadspec report`,
    generatedAt: new Date().toISOString(),
    spec: summary.spec,
    run: {
      id: summary.run.id,
      startedAt: summary.run.startedAt,
      endedAt: summary.run.endedAt,
      duration: formatDuration(summary.run.durationMs),
      version: summary.run.loadspecVersion,
      shard: summary.run.shard ? `${summary.run.shard.index}/${summary.run.shard.total}` : undefined,
    },
    verdict: {
      word: summary.verdict,
      passedCount: summary.thresholds.filter((t) => t.passed).length,
      total: summary.thresholds.length,
      ...(summary.run.abortReason ? { abortReason: summary.run.abortReason } : {}),
    },
    thresholds: summary.thresholds.map((t) => ({ key: t.key, expression: t.expression, measured: formatMeasured(t), word: verdictWord(t), reason: t.reason ?? '' })),
    load: {
      totalCalls: formatCount(c.planned),
      started: formatCount(c.started),
      success: c.started ? formatPercent(c.passed / c.started) : '–',
      avgDuration: summary.trends.call_duration.count ? formatMs(summary.trends.call_duration.mean) : '–',
      peakActive: formatCount(c.peakActive),
      passed: formatCount(c.passed),
      failed: formatCount(c.failed),
      errored: formatCount(c.errored),
      dropped: formatCount(c.dropped),
      failureRate: formatPercent(summary.failureRate),
      dropRate: formatPercent(summary.dropRate),
      trends: Object.entries(summary.trends).map(([name, t]) => ({
        name,
        count: formatCount(t.count),
        ...(t.count ? { mean: formatMs(t.mean), p50: formatMs(t.p50), p90: formatMs(t.p90), p95: formatMs(t.p95), p99: formatMs(t.p99), max: formatMs(t.max) } : {}),
      })),
      failures: errors.map(([code, count]) => ({
        code,
        count: formatCount(count),
        share: formatPercent(failuresTotal ? count / failuresTotal : 0),
        description: (CALL_ERROR_CODES as Record<string, { description: string } | undefined>)[code]?.description ?? '',
      })),
      cost: {
        total: formatUsd(cost.totalUsd),
        perCall: formatUsd(cost.perCallUsd),
        budget: cost.budgetUsd === undefined ? '' : formatUsd(cost.budgetUsd),
        providers: Object.entries(cost.byProvider).map(([name, u]) => ({ name, usd: formatUsd(u.usd), requests: formatCount(u.requests), tokens: formatCount(u.inputTokens + u.outputTokens) })),
        models: Object.entries(cost.byModel).map(([name, u]) => ({ name, usd: formatUsd(u.usd), requests: formatCount(u.requests), input: formatCount(u.inputTokens), output: formatCount(u.outputTokens) })),
      },
      resources: summary.resources
        ? {
            cpu: `${Math.round(summary.resources.cpuPercentMean)}% mean, ${Math.round(summary.resources.cpuPercentMax)}% max`,
            rss: formatBytes(summary.resources.rssMaxBytes),
            lag: formatMs(summary.resources.loopLagP99Ms),
            threads: String(summary.resources.threads),
            saturated: summary.resources.saturated,
          }
        : undefined,
    },
    charts: charts(summary, info),
    breakdowns: [
      { title: 'By scenario', tag: 'scenario', rows: Object.entries(summary.scenarios).map(([k, b]) => breakdownRow(k, b)) },
      { title: 'By variant', tag: 'variant', rows: Object.entries(summary.variants).map(([k, b]) => breakdownRow(k, b)) },
      { title: 'By persona segment', tag: 'segment', rows: Object.entries(summary.segments).map(([k, b]) => breakdownRow(k, b)) },
    ].filter((b) => b.rows.length > 0),
    ...(ab
      ? {
          ab: {
            baseline: ab.baseline,
            alpha: String(ab.alpha),
            comparisons: ab.comparisons.map((cmp) => ({
              variant: cmp.variant,
              failureRate: abResult(cmp.failureRate, formatPercent),
              responseTime: abResult(cmp.responseTime, formatMs),
            })),
          },
        }
      : {}),
    transcripts: failedSamples.map(transcript),
    settings: settings(summary, info),
  };
}

/** The run's settings after CLI overrides, then what the run itself decided; each name once. */
function settings(summary: RunSummary, info: RunInfo | undefined): { name: string; value: string }[] {
  const rows = new Map<string, string>([
    ['spec', summary.spec.path],
    ['seed', String(summary.spec.seed)],
  ]);
  for (const [name, value] of Object.entries(summary.run.settings)) rows.set(name, settingValue(value));
  if (info) {
    if (!rows.has('interval') && !rows.has('intervalMs')) rows.set('interval', formatMs(info.intervalMs));
    if (!rows.has('threads')) rows.set('threads', String(info.threads));
  }
  return [...rows].map(([name, value]) => ({ name, value }));
}
