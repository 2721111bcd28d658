import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseJunit } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { GithubSummaryReporter } from '../../src/report/github.js';
import { HtmlReporter, renderReport } from '../../src/report/html/reporter.js';
import { JsonReporter } from '../../src/report/json.js';
import { JunitReporter } from '../../src/report/junit.js';
import { outcome, summarize } from '../support/report-fixtures.js';
import { summaryValidator } from '../support/summary-schema.js';
import { fixtureOutcomesWithXss, runReporters, XSS_REPLY } from '../support/report-run.js';

const validator = summaryValidator;

describe('summary.json', () => {
  it('is valid against schemas/summary.v1.json, with verdicts and the A/B comparison', async () => {
    const { outDir, summary } = await runReporters([new JsonReporter()]);
    const written = JSON.parse(readFileSync(path.join(outDir, 'summary.json'), 'utf8'));
    const validate = validator();
    expect(validate(written), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(written.summaryVersion).toBe(1);
    expect(written.verdict).toBe('failed');
    expect(written.thresholds).toEqual(summary.thresholds);
    expect(written.thresholds.map((t: { passed: boolean }) => t.passed)).toEqual([false, true, true, true, false]);
    expect(written.thresholds[4]).toMatchObject({ value: null, reason: 'no data' });
    expect(written.abTest.baseline).toBe('prompt-v1');
    expect(written.abTest.comparisons[0].responseTime.significant).toBe(true);
  });

  it('is rejected by the schema when a field is wrong, so the schema can fail', async () => {
    const { outDir } = await runReporters([new JsonReporter()]);
    const written = JSON.parse(readFileSync(path.join(outDir, 'summary.json'), 'utf8'));
    const validate = validator();
    expect(validate({ ...written, verdict: 'ok' })).toBe(false);
    expect(validate({ ...written, calls: { ...written.calls, planned: -1 } })).toBe(false);
    const { trends: _drop, ...withoutTrends } = written;
    expect(validate(withoutTrends)).toBe(false);
  });
});

describe('junit.xml', () => {
  it('parses with a JUnit consumer: thresholds first, then a suite per scenario with its calls', async () => {
    const outcomes = fixtureOutcomesWithXss();
    const { outDir, summary } = await runReporters([new JunitReporter()], { outcomes });
    const xml = readFileSync(path.join(outDir, 'junit.xml'), 'utf8');
    const parsed = await parseJunit(xml);
    expect(parsed).toBeTruthy();
    const root = parsed as { tests?: number; failures?: number; errors?: number; testsuite?: { name?: string; tests?: number; failures?: number; errors?: number; skipped?: number; testcase?: { name?: string; failure?: { message?: string }[]; error?: unknown[]; skipped?: unknown[] }[] }[] };
    const suites = root.testsuite!;
    expect(suites.map((s) => s.name)).toEqual(['thresholds', 'scenario scheduling', 'scenario refill']);

    const thresholds = suites[0]!;
    expect(thresholds.tests).toBe(5);
    expect(thresholds.failures).toBe(2);
    expect(thresholds.testcase).toHaveLength(5);
    const failureRate = thresholds.testcase![0]!;
    expect(failureRate.name).toBe('failure_rate: < 5%');
    expect(failureRate.failure![0]!.message).toBe(`measured ${(summary.failureRate * 100).toFixed(1)}%; wanted < 5%`);
    expect(thresholds.testcase![4]!.failure![0]!.message).toBe('no data; wanted p95 < 1s');
    expect(thresholds.testcase![1]!.failure).toBeUndefined();

    for (const name of ['scheduling', 'refill']) {
      const suite = suites.find((s) => s.name === `scenario ${name}`)!;
      const calls = outcomes.filter((o) => o.scenario === name);
      expect(suite.tests).toBe(calls.length);
      expect(suite.testcase).toHaveLength(calls.length);
      expect(suite.failures).toBe(calls.filter((o) => o.status === 'failed').length);
      expect(suite.errors).toBe(calls.filter((o) => o.status === 'error').length);
      expect(suite.skipped).toBe(calls.filter((o) => o.status === 'dropped').length);
      expect(suite.testcase!.filter((c) => c.failure).length).toBe(suite.failures);
      expect(suite.testcase!.filter((c) => c.error).length).toBe(suite.errors);
      expect(suite.testcase!.filter((c) => c.skipped).length).toBe(suite.skipped);
    }
    expect(root.tests).toBe(5 + outcomes.length);
    expect(root.failures).toBe(2 + outcomes.filter((o) => o.status === 'failed').length);
    // The payload in the failed call's check is text, not markup.
    expect(xml).not.toContain('<img');
    expect(xml).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('GitHub step summary', () => {
  it('appends markdown to $GITHUB_STEP_SUMMARY when it is set, and does nothing otherwise', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'loadspec-gh-')), 'step-summary.md');
    appendFileSync(file, '# earlier step\n');
    await runReporters([new GithubSummaryReporter({ GITHUB_STEP_SUMMARY: file })]);
    const markdown = readFileSync(file, 'utf8');
    expect(markdown.startsWith('# earlier step\n\n### ')).toBe(true);
    expect(markdown).toContain('### ❌ loadspec peak-hour: failed');
    expect(markdown).toMatch(/\| ❌ \| `failure_rate` `< 5%` \| \d+\.\d% \| failed \|/);
    expect(markdown).toContain('| ❌ | `response_time{scenario:cancel}` `p95 < 1s` | – | failed (no data) |');
    expect(markdown).toContain('| refill |');
    const { outDir } = await runReporters([new GithubSummaryReporter({})]);
    expect(outDir).toBeTruthy();
  });
});

describe('report.html', () => {
  it('escapes every piece of agent text: an XSS payload in a reply renders as text', async () => {
    const { outDir } = await runReporters([new HtmlReporter()]);
    const html = readFileSync(path.join(outDir, 'report.html'), 'utf8');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('Sure &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain('script-src &#x27;sha256-');
    expect(XSS_REPLY).toContain('<img');
  });

  it('escapes text from the spec too: names, descriptions, thresholds, error messages', () => {
    const evil = '"><img src=x onerror=alert(3)>';
    const outcomes = [0, 1, 2, 3].map((i) => outcome({ index: i, scenario: `scn${evil}`, variant: `var${evil}`, segment: `seg${evil}`, status: i === 1 ? 'error' : 'passed' }));
    const summary = summarize(outcomes, {
      spec: { name: `name${evil}`, path: `/specs/${evil}.yaml`, seed: 1, description: `desc${evil}` },
      thresholds: [{ metric: 'failure_rate', key: `failure_rate{scenario:scn${evil}}`, expression: '< 5%', scope: {}, value: 0.25, passed: false }],
    });
    const html = renderReport(summary, undefined, outcomes.filter((o) => o.status === 'error'));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror=alert');
    expect(html).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(3)&gt;');
  });

  it('renders a run that placed no call at all', () => {
    const summary = summarize([outcome({ index: 0, status: 'dropped' })], { series: [], thresholds: [{ metric: 'response_time', key: 'response_time', expression: 'p95 < 1s', scope: {}, value: null, passed: false, reason: 'no data' }], verdict: 'failed' });
    const html = renderReport(summary, undefined, []);
    expect(html).toContain('0 of 1 thresholds passed');
    expect(html).toContain('No failed or errored calls');
    expect(html.match(/<svg class="chart"/g)).toHaveLength(4);
    expect(html).not.toMatch(/(?<!is)NaN|Infinity/);
  });

  it('puts the verdict table first and every section after it, with no network references', async () => {
    const { outDir } = await runReporters([new HtmlReporter()]);
    const html = readFileSync(path.join(outDir, 'report.html'), 'utf8');
    const order = ['id="verdict"', 'id="load"', 'id="charts"', 'id="breakdowns"', 'id="ab"', 'id="transcripts"', 'id="settings"'].map((s) => html.indexOf(s));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain('scenario:cancel');
    expect(html).toContain('http_5xx');
    expect(html).toContain('persona segment');
  });
});
