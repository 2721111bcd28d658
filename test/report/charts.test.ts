import { describe, expect, it } from 'vitest';
import { lineChart, niceMax, stackedBars, timeAxis } from '../../src/report/html/charts.js';
import { coarsen } from '../../src/report/html/coarsen.js';
import type { IntervalPoint } from '../../src/metrics/summary.js';

describe('report charts', () => {
  it('puts the y axis gridlines on round values, whole numbers for counts', () => {
    expect(niceMax(233)).toBe(240);
    expect(niceMax(1500)).toBe(1600);
    expect(niceMax(0.9)).toBe(1);
    expect(niceMax(0)).toBe(1);
    expect(niceMax(2, true)).toBe(4);
    expect(niceMax(13, true)).toBe(16);
  });

  it('ticks the time axis on round seconds and centres points in their interval', () => {
    const axis = timeAxis([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    expect(axis.ticks).toEqual([0, 10, 20, 30, 40, 50]);
    expect(axis.point(0)).toBeCloseTo(axis.x(2.5));
    expect(timeAxis([0]).ticks).toEqual([0, 1]);
  });

  it('draws a line per run of values, breaks it at gaps, and marks a lone point', () => {
    const svg = lineChart({ title: 'Response time', xs: [0, 1, 2, 3, 4], formatY: String, series: [{ name: 'p95', values: [100, 120, null, 90, 80], color: '#000' }] });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg).toContain('data-points="4"');
    const single = lineChart({ title: 'Active calls', xs: [0], formatY: String, series: [{ name: 'active', values: [3], color: '#000' }] });
    expect(single.match(/<circle/g)).toHaveLength(1);
  });

  it('escapes names from the spec in legends and tooltips', () => {
    const svg = stackedBars({ title: 'Failures by code', xs: [0, 1], segments: [{ name: '"><script>x</script>', color: '#b00' }], values: [[1], [2]], emptyText: 'none' });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&quot;&gt;&lt;script&gt;x&lt;/script&gt;');
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(2);
    expect(stackedBars({ title: 'F', xs: [0], segments: [], values: [[]], emptyText: 'No failed calls' })).toContain('No failed calls');
  });
});

describe('long runs', () => {
  it('merges intervals into at most 600 points, keeping counts and the worst percentiles', () => {
    const series = Array.from({ length: 3600 }, (_, i): IntervalPoint => ({
      index: i, startOffsetMs: i * 1000, started: 2, targetStarts: 2, active: 10 + (i === 1234 ? 50 : 0), queued: 0, passed: 2, failed: 0, errored: i % 100 === 0 ? 1 : 0, dropped: 0,
      responseTime: { count: 4, mean: 300, p50: 280, p95: i === 1234 ? 2000 : 500, p99: 700 }, errors: i % 100 === 0 ? { timeout: 1 } : {},
    }));
    const { points, perPoint } = coarsen(series);
    expect(perPoint).toBe(6);
    expect(points).toHaveLength(600);
    expect(points.reduce((a, p) => a + p.started, 0)).toBe(7200);
    expect(points.reduce((a, p) => a + (p.errors.timeout ?? 0), 0)).toBe(36);
    expect(Math.max(...points.map((p) => p.active))).toBe(60);
    expect(Math.max(...points.map((p) => p.responseTime.p95))).toBe(2000);
    expect(points[1]).toMatchObject({ startOffsetMs: 6000, responseTime: { count: 24, mean: 300 } });
    expect(coarsen(series.slice(0, 50)).points).toHaveLength(50);
  });
});
