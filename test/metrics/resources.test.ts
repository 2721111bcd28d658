import { describe, expect, it } from 'vitest';
import { ResourceSampler, saturationCpuPercent, type ResourceSample, type ResourceSource } from '../../src/metrics/resources.js';
import { RunMetrics } from '../../src/metrics/run-metrics.js';
import { renderPanel } from '../../src/report/live/panel.js';
import { renderSummary } from '../../src/report/summary-text.js';
import { metricsSpec, runInfo } from './fixtures.js';

const nowMs = (): number => performance.timeOrigin + performance.now();

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Spin: this thread's CPU and a stalled event loop are what we measure.
  }
}

describe('ResourceSampler', () => {
  it('measures this process: CPU of a busy thread, RSS, and the lag of a blocked event loop', async () => {
    const sampler = new ResourceSampler(nowMs());
    await new Promise((r) => setTimeout(r, 250));
    const idle = sampler.sample(nowMs());
    busyFor(250);
    await new Promise((r) => setTimeout(r, 30));
    const busy = sampler.sample(nowMs());
    sampler.stop();
    // A loaded machine may give the spinning thread only part of a core; it still uses more than sleeping.
    expect(busy.cpuPercent).toBeGreaterThan(idle.cpuPercent);
    expect(busy.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    // The loop was blocked for 250 ms: its lag percentiles must show a delay of that order.
    expect(busy.loopLagP99Ms).toBeGreaterThan(100);
    expect(idle.loopLagP99Ms).toBeLessThan(busy.loopLagP99Ms);
    expect(sampler.wholeRunLoopLagP99Ms()).toBeGreaterThan(100);
  });
});

describe('saturation', () => {
  /** Resource samples scripted by the test: CPU percent per sample. */
  function scripted(cpu: number[]): ResourceSource {
    let i = 0;
    return {
      sample: (atMs): ResourceSample => ({ atMs, cpuPercent: cpu[i++] ?? 0, rssBytes: 100e6, loopLagP99Ms: 2 }),
      wholeRunLoopLagP99Ms: () => 3,
      stop: () => undefined,
    };
  }
  const high = saturationCpuPercent() + 5;
  const start = 1_700_000_000_000;
  const gauges = (second: number) => ({ atMs: start + second * 1000, active: 1, peakActive: 1, queued: 0, targetStarts: 1, poolUtilization: 0.1 });

  it('is not one busy moment, but two samples in a row above 80% of the machine', () => {
    const run = new RunMetrics({ spec: metricsSpec(), runStartMs: start, intervalMs: 1000, planned: 10, resources: scripted([high, 10, high, high, 10]) });
    const seen: boolean[] = [];
    for (let second = 1; second <= 5; second++) {
      run.sampleGauges(gauges(second));
      seen.push(run.live(start + second * 1000).saturated);
    }
    expect(seen).toEqual([false, false, false, true, false]);
    const summary = run.summary({ verdict: 'passed', thresholds: [], run: runInfo(start) });
    expect(summary.resources).toMatchObject({ saturated: true, cpuPercentMax: high, rssMaxBytes: 100e6, loopLagP99Ms: 3, threads: 2 });
    expect(summary.series.map((p) => p.cpuPercent)).toEqual([undefined, high, 10, high, high, 10]);
    expect(renderSummary(summary)).toContain('may understate how fast the target is');
  });

  it('says so in the live panel', () => {
    const run = new RunMetrics({ spec: metricsSpec(), runStartMs: start, intervalMs: 1000, planned: 10, resources: scripted([high, high]) });
    run.sampleGauges(gauges(1));
    run.sampleGauges(gauges(2));
    const panel = renderPanel(run.live(start + 2000), { specName: 'x', columns: 200 });
    expect(panel.at(-1)).toContain('may understate the target');
    expect(panel.join('\n')).toMatch(new RegExp(`cpu ${Math.round(high)}%\\s+rss 95 MB`));
  });

  it('skips resource samples taken less than half a second apart', () => {
    const run = new RunMetrics({ spec: metricsSpec(), runStartMs: start, intervalMs: 1000, planned: 10, resources: scripted([50, 60, 70]) });
    run.sampleGauges(gauges(1));
    run.sampleGauges({ ...gauges(1), atMs: start + 1100 });
    run.sampleGauges(gauges(2));
    expect(run.live(start + 2000).cpuPercent).toBe(60);
  });
});
