/**
 * Opens report.html from disk in headless Chromium (Debian's, driven by playwright-core):
 * no console errors (a CSP violation would be one), the verdict table and charts render with
 * data, the XSS payload in an agent reply stays text, and a screenshot is kept in
 * test-artifacts/report.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HtmlReporter } from '../../src/report/html/reporter.js';
import { runReporters, XSS_REPLY } from '../support/report-run.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('report.html in a browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('renders the verdict table and charts with no console errors, and keeps agent text inert', async () => {
    const { outDir, summary } = await runReporters([new HtmlReporter()]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });

    await page.goto(pathToFileURL(path.join(outDir, 'report.html')).href, { waitUntil: 'load' });

    const rows = page.locator('#verdict-table tbody tr');
    expect(await rows.count()).toBe(summary.thresholds.length);
    expect(await rows.first().locator('code').first().textContent()).toBe('failure_rate');
    expect((await page.locator('.verdict-badge').textContent())?.trim()).toBe('failed');

    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(4);
    for (const kind of ['Active calls', 'Start rate vs target', 'Response time', 'Failures by code']) {
      const chart = page.locator(`svg.chart[aria-label="${kind}"]`);
      expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(0);
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
    }
    expect(await page.locator('svg.chart polyline').count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('svg.chart rect.bar').count()).toBeGreaterThan(0);

    // The payload is shown as text in the transcript, and created no element.
    await page.locator('details.transcript').first().evaluate((d) => d.setAttribute('open', ''));
    const reply = page.locator('.reply', { hasText: 'onerror' });
    expect(await reply.first().textContent()).toContain(XSS_REPLY);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);

    // The inline script runs under the CSP: it made the tables sortable.
    expect(await page.locator('th.sortable-head').count()).toBeGreaterThan(0);

    mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-artifacts', 'report.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
