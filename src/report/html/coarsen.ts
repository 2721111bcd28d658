/**
 * Long runs have more intervals than a chart has pixels (a day at 1 s is 86,400). Above
 * MAX_POINTS, consecutive intervals are merged in equal groups: counts add up (so rates per
 * second stay right with the group's length), gauges take the group's peak, and response-time
 * percentiles the group's worst interval — a merged p95 cannot be recovered exactly, and a
 * chart should not hide a bad minute.
 */
import type { IntervalPoint } from '../../metrics/summary.js';

export const MAX_POINTS = 600;

function addErrors(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [code, n] of Object.entries(from)) into[code] = (into[code] ?? 0) + n;
}

function merge(group: readonly IntervalPoint[]): IntervalPoint {
  const first = group[0]!;
  const errors: Record<string, number> = {};
  let started = 0, targetStarts = 0, passed = 0, failed = 0, errored = 0, dropped = 0, active = 0, queued = 0;
  let count = 0, weighted = 0, p50 = 0, p95 = 0, p99 = 0;
  for (const p of group) {
    started += p.started;
    targetStarts += p.targetStarts;
    passed += p.passed;
    failed += p.failed;
    errored += p.errored;
    dropped += p.dropped;
    active = Math.max(active, p.active);
    queued = Math.max(queued, p.queued);
    addErrors(errors, p.errors);
    if (p.responseTime.count > 0) {
      count += p.responseTime.count;
      weighted += p.responseTime.mean * p.responseTime.count;
      p50 = Math.max(p50, p.responseTime.p50);
      p95 = Math.max(p95, p.responseTime.p95);
      p99 = Math.max(p99, p.responseTime.p99);
    }
  }
  return {
    index: first.index,
    startOffsetMs: first.startOffsetMs,
    started, targetStarts, active, queued, passed, failed, errored, dropped,
    responseTime: { count, mean: count ? weighted / count : 0, p50, p95, p99 },
    errors,
  };
}

/** The series with at most `maxPoints` points, and how many intervals each point covers. */
export function coarsen(series: readonly IntervalPoint[], maxPoints = MAX_POINTS): { points: readonly IntervalPoint[]; perPoint: number } {
  if (series.length <= maxPoints) return { points: series, perPoint: 1 };
  const perPoint = Math.ceil(series.length / maxPoints);
  const points: IntervalPoint[] = [];
  for (let i = 0; i < series.length; i += perPoint) points.push(merge(series.slice(i, i + perPoint)));
  return { points, perPoint };
}
