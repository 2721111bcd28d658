/**
 * `loadspec plan` output: a readable text page, or JSON for machines. Both are pure
 * functions of the summary (no clock, no absolute paths, no colours), so the same spec and
 * seed print byte-identical output.
 */
import { formatDuration, formatRate } from '../spec/units.js';
import { formatCount } from '../schedule/profile.js';
import type { PlanSummary } from './summary.js';

const SPARK = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const MAX_COLUMNS = 60;

/** Left-aligned columns, two spaces apart; the last column is not padded. */
function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function ms(value: number): string {
  return value === 0 ? '0s' : formatDuration(Math.round(value * 1000) / 1000);
}

function rateRange(from: number, to: number): string {
  return from === to ? formatRate(from) : `${formatRate(from)} → ${formatRate(to)}`;
}

/** Averages neighbouring buckets so the sparkline fits MAX_COLUMNS. */
function columns(rates: readonly number[]): { values: number[]; perColumn: number } {
  const perColumn = Math.max(1, Math.ceil(rates.length / MAX_COLUMNS));
  const values: number[] = [];
  for (let i = 0; i < rates.length; i += perColumn) {
    const group = rates.slice(i, i + perColumn);
    values.push(group.reduce((a, b) => a + b, 0) / group.length);
  }
  return { values, perColumn };
}

function sparkline(values: readonly number[]): string {
  const peak = Math.max(0, ...values);
  return values.map((v) => (v <= 0 ? ' ' : SPARK[Math.min(SPARK.length - 1, Math.floor((v / peak) * SPARK.length))] ?? '█')).join('');
}

function loadSection(s: PlanSummary): string[] {
  const { load } = s;
  const cap = load.maxDurationMs > 0 && Number.isFinite(load.maxDurationMs) ? ms(load.maxDurationMs) : 'none';
  return [
    'Load',
    `  ${load.calls} calls, at most ${load.concurrency} at once, ${load.arrivals} arrivals`,
    `  queue maxWait ${ms(load.queueMaxWaitMs)}, callTimeout ${ms(load.callTimeoutMs)}, maxDuration ${cap}`,
  ];
}

function phaseSection(s: PlanSummary): string[] {
  const p = s.profile;
  const rows = [['phase', 'start', 'end', 'rate', 'expected', 'placed']];
  for (const phase of p.phases) {
    rows.push([
      phase.kind === 'hold' ? 'hold (last rate)' : phase.name,
      ms(phase.startMs),
      ms(phase.endMs),
      rateRange(phase.fromRatePerSec, phase.toRatePerSec),
      formatCount(phase.expectedCalls),
      phase.reached ? String(phase.plannedCalls) : 'never runs',
    ]);
  }
  const lines = ['Phases', ...table(rows)];
  const last = p.lastArrivalMs === undefined ? '' : `, the last call due at ${ms(p.lastArrivalMs)}`;
  lines.push(`  ${p.plannedCalls} of ${p.requestedCalls} calls placed; scheduling is expected to end at ${ms(p.scheduleEndMs)}${last}`);
  return lines;
}

function arrivalsSection(s: PlanSummary): string[] {
  const { series, peakRatePerSec } = s.profile;
  const { values, perColumn } = columns(series.ratesPerSec);
  const columnMs = series.bucketMs * perColumn;
  const spanMs = series.bucketMs * series.ratesPerSec.length;
  return [
    `Expected arrivals per second (one column per ${ms(columnMs)}, peak ${formatRate(peakRatePerSec)})`,
    `  |${sparkline(values)}|`,
    // Time axis under the bars: 0s at the left edge, the end at the right edge.
    `  ${'0s'.padEnd(Math.max(3, values.length + 2 - ms(spanMs).length))}${ms(spanMs)}`,
  ];
}

function concurrencySection(s: PlanSummary): string[] {
  const p = s.profile;
  const length = p.callLength;
  const verdict = p.expectedPeakConcurrency > p.concurrency ? 'over the cap: calls will queue' : 'within the cap';
  return [
    'Concurrency',
    `  expected call length ${ms(Math.round(length.expectedMs))} (${length.basis.join('; ')})`,
    ...table(length.byScenario.map((sc) => [sc.scenario, `${sc.turns} ${sc.turns === 1 ? 'turn' : 'turns'}`, ms(Math.round(sc.expectedMs))]), '    '),
    `  expected peak concurrency ${formatCount(p.expectedPeakConcurrency)} of a cap of ${p.concurrency} (${verdict})`,
    ...length.assumptions.map((a) => `  assumption: ${a}`),
  ];
}

function mixSection(s: PlanSummary): string[] {
  const { mix } = s;
  const rows = [['scenario', 'variant', 'calls', 'share']];
  for (const cell of mix.cells) rows.push([cell.scenario, cell.variant, String(cell.count), percent(cell.share)]);
  const byScenario = mix.scenarios.map((x) => `${x.name} ${x.count} (${percent(x.share)})`).join(', ');
  const byVariant = mix.variants.map((x) => `${x.name} ${x.count} (${percent(x.share)})`).join(', ');
  return [`Mix (exact for seed ${s.seed})`, ...table(rows), `  scenarios: ${byScenario}`, `  variants: ${byVariant}`];
}

function samplesSection(s: PlanSummary): string[] {
  if (s.samples.length === 0) return [];
  const lines = ['Sample callers'];
  for (const call of s.samples) {
    const persona = call.persona;
    const extras = [
      ...(persona.patienceMs === undefined ? [] : [`patience ${ms(persona.patienceMs)}`]),
      ...(persona.segment === undefined ? [] : [`segment ${persona.segment}`]),
    ];
    lines.push(`  ${call.callId}  ${call.scenario} / ${call.variant}, due at ${ms(call.dueOffsetMs)}, ${persona.id}${extras.length ? ` (${extras.join(', ')})` : ''}`);
    const fields = Object.entries(persona.fields).map(([key, value]) => `${key}=${value}`);
    if (fields.length) lines.push(`    ${fields.join('  ')}`);
  }
  return lines;
}

function warningsSection(s: PlanSummary): string[] {
  if (s.warnings.length === 0) return ['No warnings.'];
  return ['Warnings', ...s.warnings.map((w) => `  ! ${w.message} [${w.code}]`)];
}

export function renderPlanText(s: PlanSummary, specLabel: string): string {
  const header = [`Plan for ${s.name} (${specLabel}), seed ${s.seed}, ${s.driver} driver`];
  if (s.description) header.push(s.description.trim());
  const sections = [header, loadSection(s), phaseSection(s), arrivalsSection(s), concurrencySection(s), mixSection(s), samplesSection(s), warningsSection(s)];
  return sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n') + '\n';
}

export function renderPlanJson(s: PlanSummary, specLabel: string): string {
  return JSON.stringify({ spec: specLabel, ...s }, null, 2) + '\n';
}
