/** How every report spells numbers: one place, so HTML, JUnit and markdown agree. */
import { METRICS } from '../metrics/registry.js';
import type { ThresholdVerdict } from '../metrics/summary.js';

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms)} ms`;
}

export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '–';
  const percent = fraction * 100;
  if (percent === 0 || percent >= 10) return `${percent.toFixed(percent === 100 || percent === 0 ? 0 : 1)}%`;
  return `${percent.toFixed(2)}%`;
}

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatCount(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(2);
}

export function formatBytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/** A verdict's measured value in its metric's unit; counter rates are per second. */
export function formatMeasured(verdict: Pick<ThresholdVerdict, 'metric' | 'value' | 'expression'>): string {
  if (verdict.value === null) return '–';
  const def = METRICS.get(verdict.metric);
  if (!def) return String(verdict.value);
  const perSecond = def.type === 'counter' && /^\s*rate\b/.test(verdict.expression);
  if (perSecond) return `${verdict.value.toFixed(2)}/s`;
  switch (def.unit) {
    case 'ms':
      return formatMs(verdict.value);
    case 'fraction':
      return formatPercent(verdict.value);
    case 'usd':
      return formatUsd(verdict.value);
    default:
      return formatCount(verdict.value);
  }
}

/** `passed`, `failed (no data)`, `aborted the run`: the verdict in words. */
export function verdictWord(verdict: Pick<ThresholdVerdict, 'passed' | 'aborted'>): 'passed' | 'failed' | 'aborted' {
  if (verdict.aborted) return 'aborted';
  return verdict.passed ? 'passed' : 'failed';
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min ${s} s`;
}
