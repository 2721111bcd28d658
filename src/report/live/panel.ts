/**
 * The live panel's content: a fixed set of lines from one LiveSnapshot, no terminal codes.
 * Pure, so it is tested without a terminal; the painter (terminal.ts) draws it in place.
 */
import type { LiveSnapshot } from '../reporter.js';
import { formatBytes, formatMs, formatPercent, formatUsd } from '../format.js';
import { bar, clock, fit, pad, topErrors } from './text.js';

export interface PanelContext {
  readonly specName: string;
  readonly threads?: number;
  /** Terminal width; lines are cut to it. */
  readonly columns: number;
}

const BAR_CELLS = 30;
/** Every row's label is padded to this, so the panel's columns line up. */
const LABEL = 16;
const TOP_ERRORS = 4;
/** Width of a response-time cell, e.g. `  1.20 s`. */
const TIME_CELL = 9;

export function renderPanel(s: LiveSnapshot, ctx: PanelContext): string[] {
  const completed = s.passed + s.failed + s.errored;
  const progress = Math.min(1, Math.max(s.plannedMs > 0 ? s.elapsedMs / s.plannedMs : 0, s.planned > 0 ? (s.started + s.dropped) / s.planned : 0));
  const threads = ctx.threads !== undefined ? ` · ${ctx.threads} threads` : '';
  // Fixed widths from the planned count: columns stay put while the numbers grow.
  const n = Math.max(3, String(s.planned).length);
  const num = (v: number): string => pad(String(v), n, true);
  const rate = (perSec: number): string => `${pad(perSec.toFixed(1), 5, true)}/s`;
  const rows: [string, string, string, string][] = [
    ['started', `${num(s.started)} / ${s.planned}`, `active ${num(s.active)} (peak ${num(s.peakActive)})`, `queued ${num(s.queued)}`],
    ['start rate', rate(s.startRatePerSec), `target ${rate(s.targetRatePerSec)}`, `pool ${pad(String(Math.round(s.poolUtilization * 100)), 3, true)}% busy`],
    ['passed', num(s.passed), `failed ${num(s.failed)}  errored ${num(s.errored)}  dropped ${num(s.dropped)}`, `success ${completed > 0 ? formatPercent(s.passed / completed) : '–'}`],
  ];
  const c1 = Math.max(2 * n + 3 + String(s.planned).length - n, 7);
  const c2 = 3 * n + 27;
  const ms = (v: number): string => pad(formatMs(v), TIME_CELL, true);
  const rt = (t: { count: number; mean: number; p50: number; p95: number; p99: number } | undefined): string =>
    t && t.count > 0 ? `${ms(t.mean)}${ms(t.p50)}${ms(t.p95)}${ms(t.p99)}  ${num(t.count)}` : `${pad('–', TIME_CELL, true).repeat(4)}  ${num(0)}`;
  const lines = [
    `loadspec · ${ctx.specName}${threads} · cost ${formatUsd(s.costUsd)}`,
    `${clock(s.elapsedMs)} / ${clock(s.plannedMs)}  ${bar(progress, BAR_CELLS)}  ${Math.floor(progress * 100)}%`,
    ...rows.map(([name, a, b, c]) => `${label(name)}${pad(a, c1, true)}   ${pad(b, c2)}   ${c}`),
    `${label('response_time')}${['avg', 'p50', 'p95', 'p99'].map((h) => pad(h, TIME_CELL, true)).join('')}  ${pad('count', n, true)}`,
    `${label('  last interval')}${rt(s.last?.responseTime)}`,
    `${label('  whole run')}${rt(s.responseTime)}`,
    `${label('errors')}${topErrors(s.errors, TOP_ERRORS)}`,
    `${label('loadspec')}cpu ${Math.round(s.cpuPercent)}%  rss ${formatBytes(s.rssBytes)}  loop lag p99 ${formatMs(s.loopLagP99Ms)}`,
  ];
  if (s.saturated) lines.push("! loadspec's own CPU is above 80% of this machine: the numbers may understate the target");
  return lines.map((line) => fit(line.trimEnd(), ctx.columns));
}

function label(text: string): string {
  return pad(text, LABEL);
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
