import { describe, expect, it } from 'vitest';
import { AGGREGATIONS, METRIC_NAMES, METRICS, TREND_METRICS } from '../../src/metrics/registry.js';
import { summarizeOutcomes } from '../../src/metrics/replay.js';
import { parseKey } from '../../src/metrics/series-key.js';
import { WorkerMetrics } from '../../src/metrics/worker-metrics.js';
import { renderPanel } from '../../src/report/live/panel.js';
import { renderSummary } from '../../src/report/summary-text.js';
import { readmeSection } from '../support/readme.js';
import { metricsSpec, outcome, runInfo } from './fixtures.js';

const START = 1_700_000_000_000;
const spec = metricsSpec({ prices: { 'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 } } });
const calls = [
  outcome({ index: 0, dueAtMs: START, endedAtMs: START + 3000, responseMs: [120, 340], costUsd: 0.001, usage: [{ purpose: 'caller', model: 'gpt-4o-mini', requests: 2, inputTokens: 500, outputTokens: 80 }] }),
  outcome({ index: 1, status: 'error', errorCode: 'timeout', dueAtMs: START + 500, endedAtMs: START + 2500, responseMs: [900] }),
  outcome({ index: 2, status: 'dropped', dueAtMs: START + 600, endedAtMs: START + 5600 }),
];
const word = (name: string): RegExp => new RegExp(`(^|[^a-z_])${name}($|[^a-z_])`);

describe('the metric registry', () => {
  const run = summarizeOutcomes(calls, { spec, runStartMs: START, intervalMs: 1000, planned: 3 });
  const summary = run.summary({ verdict: 'passed', thresholds: [], run: runInfo(START) });
  const summaryText = renderSummary(summary, { outDir: '/tmp/out' });
  const panelText = renderPanel(run.live(START + 4000), { specName: 'x', columns: 200 }).join('\n');
  const metricsSection = readmeSection('Metrics');

  it.each(METRIC_NAMES)('shows %s in the final summary or the live panel, and documents it in the README', (name) => {
    expect(word(name).test(summaryText) || word(name).test(panelText), `${name} shown`).toBe(true);
    expect(metricsSection).toContain(`| \`${name}\` | ${METRICS.get(name)!.type} | ${METRICS.get(name)!.unit} |`);
  });

  it('gives every metric type its aggregations', () => {
    for (const def of METRICS.values()) expect(AGGREGATIONS[def.type].length).toBeGreaterThan(0);
  });

  it('keeps a histogram for every trend, from the worker to the summary', () => {
    const w = new WorkerMetrics({ runStartMs: START, intervalMs: 60_000 });
    const c = calls[0]!;
    const cut = { scenario: c.scenario, variant: c.variant, persona: {} };
    w.callStarted(cut, c.startedAtMs!, 2.5);
    for (const t of c.turns) w.turnEnded(cut, t);
    w.callEnded(c);
    const names = new Set(w.drain(true).flatMap((d) => Object.keys(d.histograms).map((k) => parseKey(k).name)));
    expect([...names].sort()).toEqual([...TREND_METRICS].sort());
    for (const name of TREND_METRICS) {
      expect(summary.trends[name].count, name).toBeGreaterThan(0);
      expect(summaryText).toMatch(new RegExp(`^  ${name} +\\d`, 'm'));
    }
  });

  it('puts the seed metrics in the final summary', () => {
    expect(summaryText).toMatch(/planned 3\s+started 2\s+dropped 1/);
    expect(summaryText).toMatch(/passed 1\s+failed 0\s+errored 1/);
    expect(summaryText).toMatch(/50\.0% passed\s+failure_rate 50\.0%\s+drop_rate 33\.3%/);
    expect(summaryText).toMatch(/peak_active +2 calls at once/);
    expect(summaryText).toMatch(/duration +avg 2\.50 s per call/);
    expect(summaryText).toMatch(/timeout +1 +50\.0% of started/);
    expect(summaryText).toMatch(/cost +\$0\.0010 total/);
    expect(summaryText).toMatch(/gpt-4o-mini +\$0\.0001 +2 requests +tokens 500 in \/ 80 out/);
    expect(summaryText).toMatch(/results +\/tmp\/out/);
  });
});
