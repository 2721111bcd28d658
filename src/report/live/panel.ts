/**
 * The live panel's content: a fixed set of lines from one LiveSnapshot, no terminal codes.
 * Pure, so it is tested without a terminal; the painter (terminal.ts) draws it in place.
 */
import type { LiveSnapshot } from '../reporter.js';
import { formatBytes, formatMs, formatPercent, formatUsd } from '../format.js';
import { bar, clock, fit, pad, table, topErrors } from './text.js';

export interface PanelContext {
  readonly specName: string;
  readonly threads?: number;
  /** Terminal width; lines are cut to it. */
  readonly columns: number;
}

const BAR_CELLS = 30;
/** Every row's label is padded to this, so the panel's columns line up. */
const LABEL = 14;
const TOP_ERRORS = 4;

export function renderPanel(s: LiveSnapshot, ctx: PanelContext): string[] {
  const completed = s.passed + s.failed + s.errored;
  const progress = s.plannedMs > 0 ? s.elapsedMs / s.plannedMs : 0;
  const callsProgress = s.planned > 0 ? (s.started + s.dropped) / s.planned : 0;
  const threads = ctx.threads !== undefined ? ` · ${ctx.threads} threads` : '';
  const rt = (t: { count: number; mean: number; p50: number; p95: number; p99: number } | undefined): string[] =>
    t && t.count > 0 ? [formatMs(t.mean), formatMs(t.p50), formatMs(t.p95), formatMs(t.p99), String(t.count)] : ['–', '–', '–', '–', '0'];
  const lines = [
    `loadspec · ${ctx.specName}${threads} · cost ${formatUsd(s.costUsd)}`,
    `${clock(s.elapsedMs)} / ${clock(s.plannedMs)}  ${bar(Math.max(progress, callsProgress), BAR_CELLS)}  ${Math.floor(Math.min(1, Math.max(progress, callsProgress)) * 100)}%`,
    ...table(
      [
        [label('started'), `${s.started} / ${s.planned}`, `active ${s.active} (peak ${s.peakActive})`, `queued ${s.queued}`],
        [label('start rate'), `${s.startRatePerSec.toFixed(1)}/s`, `target ${s.targetRatePerSec.toFixed(1)}/s`, `pool ${Math.round(s.poolUtilization * 100)}% busy`],
        [label('passed'), String(s.passed), `failed ${s.failed}  errored ${s.errored}  dropped ${s.dropped}`, `success ${completed > 0 ? formatPercent(s.passed / completed) : '–'}`],
      ],
      { right: [1] },
    ),
    ...table(
      [
        [label('response_time'), 'avg', 'p50', 'p95', 'p99', 'count'],
        ['  last interval', ...rt(s.last?.responseTime)],
        ['  whole run', ...rt(s.responseTime)],
      ],
      { right: [1, 2, 3, 4, 5] },
    ),
    `${label('errors')}  ${topErrors(s.errors, TOP_ERRORS)}`,
    `${label('loadspec')}  cpu ${Math.round(s.cpuPercent)}%  rss ${formatBytes(s.rssBytes)}  loop lag p99 ${formatMs(s.loopLagP99Ms)}`,
  ];
  if (s.saturated) lines.push("! loadspec's own CPU is above 80% of this machine: the numbers may understate the target");
  return lines.map((line) => fit(line, ctx.columns));
}

function label(text: string): string {
  return pad(text, LABEL - 2);
}

/** One compact line for logs (no terminal): the same numbers, every --live-interval. */
export function renderLine(s: LiveSnapshot): string {
  const completed = s.passed + s.failed + s.errored;
  const parts = [
    `[${clock(s.elapsedMs)}/${clock(s.plannedMs)}]`,
    `started ${s.started}/${s.planned}`,
    `active ${s.active} (peak ${s.peakActive})`,
    `queued ${s.queued}`,
    `rate ${s.startRatePerSec.toFixed(1)}/s (target ${s.targetRatePerSec.toFixed(1)}/s)`,
    `passed ${s.passed} failed ${s.failed} errored ${s.errored} dropped ${s.dropped}`,
    `success ${completed > 0 ? formatPercent(s.passed / completed) : '–'}`,
    s.responseTime.count > 0 ? `rt avg ${formatMs(s.responseTime.mean)} p50 ${formatMs(s.responseTime.p50)} p95 ${formatMs(s.responseTime.p95)} p99 ${formatMs(s.responseTime.p99)}` : 'rt –',
    `errors ${topErrors(s.errors, 3)}`,
    `cpu ${Math.round(s.cpuPercent)}% rss ${formatBytes(s.rssBytes)} lag ${formatMs(s.loopLagP99Ms)}`,
  ];
  if (s.saturated) parts.push('SATURATED: numbers may understate the target');
  return parts.join(' | ');
}
