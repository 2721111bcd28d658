/**
 * junit.xml, so CI systems show the gate natively:
 * - the first suite, `thresholds`, holds one test case per threshold; a failed one carries
 *   the measured value (or `no data`, or that it stopped the run);
 * - then one suite per scenario, one test case per call: a failed call is a <failure>
 *   (its check), a call that could not complete an <error> (its code), a dropped arrival
 *   <skipped>. Suite counts are those calls.
 * Per call the reporter keeps a small record (ids, status, code, one message), not the
 * transcript.
 */
import type { RunSummary, ThresholdVerdict } from '../metrics/summary.js';
import type { CallOutcome, CallStatus } from '../results/types.js';
import { formatMeasured } from './format.js';
import { RecordingReporter } from './recorder.js';

export const JUNIT_FILE = 'junit.xml';

export interface JunitCall {
  readonly index: number;
  readonly scenario: string;
  readonly variant: string;
  readonly personaId: string;
  readonly status: CallStatus;
  readonly code?: string;
  readonly message?: string;
  readonly detail?: string;
  readonly durationMs: number;
}

export function junitCall(outcome: CallOutcome): JunitCall {
  const check = outcome.checkFailures[0];
  const message = check ? check.check : outcome.errorMessage;
  const detail = outcome.checkFailures.map((c) => `${c.check}\n  got: ${c.actual}`).join('\n');
  return {
    index: outcome.index,
    scenario: outcome.scenario,
    variant: outcome.variant,
    personaId: outcome.personaId,
    status: outcome.status,
    ...(outcome.errorCode ? { code: outcome.errorCode } : {}),
    ...(message ? { message } : {}),
    ...(detail ? { detail } : {}),
    durationMs: outcome.durationMs ?? 0,
  };
}

// XML 1.0 cannot carry most control characters at all, even escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function thresholdCase(v: ThresholdVerdict): string {
  const name = `${v.key}: ${v.expression}`;
  const open = `    <testcase${attrs({ classname: 'loadspec.thresholds', name, time: '0' })}`;
  const measured = formatMeasured(v);
  if (v.passed) return `${open}>\n      <system-out>${xmlEscape(`measured ${measured}`)}</system-out>\n    </testcase>`;
  const why = v.aborted ? `measured ${measured} at the end; it stopped the run (abortOnFail)` : v.reason === undefined ? `measured ${measured}` : v.reason;
  const message = `${why}; wanted ${v.expression}`;
  const body = [`measured: ${measured}`, `expression: ${v.expression}`, ...(v.reason ? [`reason: ${v.reason}`] : [])].join('\n');
  return `${open}>\n      <failure${attrs({ message, type: v.aborted ? 'aborted' : 'threshold' })}>${xmlEscape(body)}</failure>\n    </testcase>`;
}

function callCase(call: JunitCall): string {
  const name = `call ${call.index} (${call.variant}, persona ${call.personaId})`;
  const open = `    <testcase${attrs({ classname: `loadspec.scenario.${call.scenario}`, name, time: seconds(call.durationMs) })}`;
  const message = call.message ?? call.code ?? call.status;
  switch (call.status) {
    case 'passed':
      return `${open}/>`;
    case 'failed':
      return `${open}>\n      <failure${attrs({ message, type: call.code ?? 'check_failed' })}>${xmlEscape(call.detail ?? message)}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error${attrs({ message, type: call.code ?? 'internal' })}>${xmlEscape(call.detail ?? message)}</error>\n    </testcase>`;
    case 'dropped':
      return `${open}>\n      <skipped${attrs({ message: 'dropped: no free line within queue.maxWait' })}/>\n    </testcase>`;
  }
}

function suite(name: string, cases: readonly string[], counts: { tests: number; failures: number; errors: number; skipped: number; timeMs: number }, timestamp: string, properties: Record<string, string>): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `      <property${attrs({ name: k, value: v })}/>`)
    .join('\n');
  const head = `  <testsuite${attrs({ name, tests: counts.tests, failures: counts.failures, errors: counts.errors, skipped: counts.skipped, time: seconds(counts.timeMs), timestamp })}>`;
  return [head, `    <properties>\n${props}\n    </properties>`, ...cases, '  </testsuite>'].join('\n');
}

export function renderJunit(summary: RunSummary, calls: readonly JunitCall[]): string {
  const timestamp = summary.run.startedAt.replace(/\.\d+Z$/, '').replace(/Z$/, '');
  const thresholdFailures = summary.thresholds.filter((t) => !t.passed).length;
  const suites = [
    suite('thresholds', summary.thresholds.map(thresholdCase), { tests: summary.thresholds.length, failures: thresholdFailures, errors: 0, skipped: 0, timeMs: 0 }, timestamp, {
      verdict: summary.verdict,
      spec: summary.spec.name,
      seed: String(summary.spec.seed),
      ...(summary.run.abortReason ? { abortReason: summary.run.abortReason } : {}),
    }),
  ];
  const byScenario = new Map<string, JunitCall[]>();
  for (const call of calls) {
    const list = byScenario.get(call.scenario);
    if (list) list.push(call);
    else byScenario.set(call.scenario, [call]);
  }
  let totals = { tests: summary.thresholds.length, failures: thresholdFailures, errors: 0, skipped: 0 };
  for (const [scenario, scenarioCalls] of byScenario) {
    scenarioCalls.sort((a, b) => a.index - b.index);
    const count = (s: CallStatus) => scenarioCalls.filter((c) => c.status === s).length;
    const counts = { tests: scenarioCalls.length, failures: count('failed'), errors: count('error'), skipped: count('dropped'), timeMs: scenarioCalls.reduce((sum, c) => sum + c.durationMs, 0) };
    totals = { tests: totals.tests + counts.tests, failures: totals.failures + counts.failures, errors: totals.errors + counts.errors, skipped: totals.skipped + counts.skipped };
    const breakdown = summary.scenarios[scenario];
    const properties: Record<string, string> = breakdown
      ? { failureRate: String(breakdown.failureRate), responseTimeP95Ms: String(breakdown.trends.response_time.p95) }
      : {};
    suites.push(suite(`scenario ${scenario}`, scenarioCalls.map(callCase), counts, timestamp, properties));
  }
  const head = `<testsuites${attrs({ name: `loadspec ${summary.spec.name}`, tests: totals.tests, failures: totals.failures, errors: totals.errors, skipped: totals.skipped, time: seconds(summary.run.durationMs) })}>`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', head, ...suites, '</testsuites>', ''].join('\n');
}

export class JunitReporter extends RecordingReporter {
  readonly name = 'junit';
  private readonly calls: JunitCall[] = [];

  override onCallEnd(outcome: CallOutcome): void {
    this.calls.push(junitCall(outcome));
  }

  onEnd(summary: RunSummary): void {
    this.recorder.write(JUNIT_FILE, renderJunit(summary, this.calls));
  }
}
