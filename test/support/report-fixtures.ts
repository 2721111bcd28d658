/**
 * Realistic call outcomes, summaries and specs for the threshold and report tests. The
 * summary is computed from the outcomes here with the same definitions as metrics/, so
 * every number a test checks can be traced to the outcomes it built.
 */
import type { CallErrorCode } from '../../src/errors.js';
import { TREND_METRICS } from '../../src/metrics/registry.js';
import type { Breakdown, IntervalPoint, RunSummary, TrendStats } from '../../src/metrics/summary.js';
import type { CallOutcome, CallStatus, TurnRecord } from '../../src/results/types.js';
import type { RunInfo } from '../../src/report/reporter.js';
import type { Spec, ThresholdSpec } from '../../src/spec/types.js';
import { compileThreshold } from '../../src/thresholds/parse.js';
import { percentileOfSorted, trendSamples } from '../../src/thresholds/samples.js';

export const RUN_START_MS = Date.UTC(2026, 11, 4, 9, 0, 0);

export function threshold(key: string, expression: string, options: Partial<Pick<ThresholdSpec, 'allowNoData' | 'abortOnFail' | 'abortDelayMs'>> = {}): ThresholdSpec {
  return { ...compileThreshold(key, expression), allowNoData: false, abortOnFail: false, abortDelayMs: 0, ...options };
}

export interface OutcomeInput {
  readonly index: number;
  readonly scenario?: string;
  readonly variant?: string;
  readonly segment?: string;
  readonly status?: CallStatus;
  readonly errorCode?: CallErrorCode;
  readonly responseMs?: readonly number[];
  readonly startOffsetMs?: number;
  readonly replies?: readonly string[];
  readonly costUsd?: number;
}

export function outcome(input: OutcomeInput): CallOutcome {
  const status = input.status ?? 'passed';
  const due = RUN_START_MS + (input.startOffsetMs ?? input.index * 500);
  if (status === 'dropped') {
    return {
      v: 1, index: input.index, id: `call-${input.index}`, scenario: input.scenario ?? 'scheduling', variant: input.variant ?? 'default',
      personaId: `p${input.index}`, ...(input.segment ? { segment: input.segment } : {}), status, dueAtMs: due, endedAtMs: due + 10_000,
      queueWaitMs: 10_000, attempts: 0, turns: [], checkFailures: [], usage: [], costUsd: 0,
    };
  }
  const started = due + 5;
  let clock = started + 40;
  const turns: TurnRecord[] = (input.responseMs ?? [300, 320]).map((responseMs, i) => {
    const sentAtMs = clock + 200;
    clock = sentAtMs + responseMs + 150;
    return {
      index: i, said: `caller line ${i}`, reply: input.replies?.[i] ?? `Thanks, noted (${i}).`, sentAtMs,
      firstByteAtMs: sentAtMs + responseMs, endAtMs: sentAtMs + responseMs + 150, responseMs, turnMs: responseMs + 150,
    };
  });
  const code = input.errorCode ?? (status === 'failed' ? 'check_failed' : status === 'error' ? 'http_5xx' : undefined);
  return {
    v: 1, index: input.index, id: `call-${input.index}`, scenario: input.scenario ?? 'scheduling', variant: input.variant ?? 'default',
    personaId: `p${input.index}`, ...(input.segment ? { segment: input.segment } : {}), status,
    ...(code ? { errorCode: code, errorMessage: status === 'failed' ? 'turn 1: contains "confirmed"' : 'the target answered 503' } : {}),
    dueAtMs: due, startedAtMs: started, connectedAtMs: started + 40, endedAtMs: clock, queueWaitMs: 5, connectMs: 40, durationMs: clock - started,
    endedBy: 'caller', attempts: 1, turns,
    checkFailures: status === 'failed' ? [{ check: 'turn 1: contains "confirmed"', actual: turns[1]?.reply ?? '', turnIndex: 1 }] : [],
    usage: [], costUsd: input.costUsd ?? 0.002,
  };
}

/** 80 calls: two scenarios, two variants (v2 slower and failing more), two segments, some errors and drops. */
export function abOutcomes(): CallOutcome[] {
  const outcomes: CallOutcome[] = [];
  for (let i = 0; i < 80; i += 1) {
    const v2 = i % 2 === 1;
    const scenario = i % 4 < 3 ? 'scheduling' : 'refill';
    const base = v2 ? 520 : 300;
    const responseMs = [base + ((i * 37) % 90), base + ((i * 53) % 110), base + ((i * 11) % 70)];
    let status: CallStatus = 'passed';
    let errorCode: CallErrorCode | undefined;
    if (v2 && i % 7 === 1) status = 'failed';
    if (v2 && i % 13 === 3) {
      status = 'error';
      errorCode = i % 2 ? 'http_5xx' : 'timeout';
    }
    if (!v2 && i % 29 === 10) {
      status = 'error';
      errorCode = 'rate_limited';
    }
    if (i === 78) status = 'dropped';
    outcomes.push(outcome({ index: i, scenario, variant: v2 ? 'prompt-v2' : 'prompt-v1', segment: i % 3 === 0 ? 'senior' : 'adult', status, ...(errorCode ? { errorCode } : {}), responseMs }));
  }
  return outcomes;
}

function trend(samples: number[]): TrendStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const count = sorted.length;
  if (count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
  return {
    count, min: sorted[0]!, max: sorted[count - 1]!, mean: sorted.reduce((a, b) => a + b, 0) / count,
    p50: percentileOfSorted(sorted, 50)!, p90: percentileOfSorted(sorted, 90)!, p95: percentileOfSorted(sorted, 95)!, p99: percentileOfSorted(sorted, 99)!,
  };
}

export function breakdown(outcomes: readonly CallOutcome[]): Breakdown {
  const count = (s: CallStatus) => outcomes.filter((o) => o.status === s).length;
  const started = outcomes.length - count('dropped');
  const errors: Record<string, number> = {};
  for (const o of outcomes) if (o.errorCode) errors[o.errorCode] = (errors[o.errorCode] ?? 0) + 1;
  const trends = Object.fromEntries(TREND_METRICS.map((m) => [m, trend(outcomes.flatMap((o) => trendSamples(m, o)))])) as Breakdown['trends'];
  return {
    calls: { planned: outcomes.length, started, passed: count('passed'), failed: count('failed'), errored: count('error'), dropped: count('dropped'), peakActive: Math.min(started, 6) },
    failureRate: started ? (count('failed') + count('error')) / started : 0,
    dropRate: outcomes.length ? count('dropped') / outcomes.length : 0,
    trends, errors, costUsd: outcomes.reduce((a, o) => a + o.costUsd, 0),
  };
}

function groupBy(outcomes: readonly CallOutcome[], key: (o: CallOutcome) => string | undefined): Record<string, Breakdown> {
  const groups = new Map<string, CallOutcome[]>();
  for (const o of outcomes) {
    const k = key(o);
    if (k === undefined) continue;
    groups.set(k, [...(groups.get(k) ?? []), o]);
  }
  return Object.fromEntries([...groups].map(([k, v]) => [k, breakdown(v)]));
}

function series(outcomes: readonly CallOutcome[], intervalMs: number): IntervalPoint[] {
  const end = Math.max(...outcomes.map((o) => o.endedAtMs)) - RUN_START_MS;
  const points: IntervalPoint[] = [];
  for (let index = 0; index * intervalMs < end; index += 1) {
    const from = RUN_START_MS + index * intervalMs;
    const to = from + intervalMs;
    const ended = outcomes.filter((o) => o.endedAtMs >= from && o.endedAtMs < to);
    const samples = ended.flatMap((o) => trendSamples('response_time', o));
    const t = trend(samples);
    const errors: Record<string, number> = {};
    for (const o of ended) if (o.errorCode) errors[o.errorCode] = (errors[o.errorCode] ?? 0) + 1;
    points.push({
      index, startOffsetMs: index * intervalMs,
      started: outcomes.filter((o) => o.startedAtMs !== undefined && o.startedAtMs >= from && o.startedAtMs < to).length,
      targetStarts: intervalMs / 500,
      active: outcomes.filter((o) => o.startedAtMs !== undefined && o.startedAtMs < to && o.endedAtMs >= from).length,
      queued: 0,
      passed: ended.filter((o) => o.status === 'passed').length, failed: ended.filter((o) => o.status === 'failed').length,
      errored: ended.filter((o) => o.status === 'error').length, dropped: ended.filter((o) => o.status === 'dropped').length,
      responseTime: { count: t.count, mean: t.mean, p50: t.p50, p95: t.p95, p99: t.p99 }, errors,
      cpuPercent: 12 + (index % 5), rssBytes: 90e6,
    });
  }
  return points;
}

export function summarize(outcomes: readonly CallOutcome[], overrides: Partial<RunSummary> = {}): RunSummary {
  const whole = breakdown(outcomes);
  const durationMs = Math.max(...outcomes.map((o) => o.endedAtMs), RUN_START_MS) - RUN_START_MS;
  return {
    ...whole,
    summaryVersion: 1,
    verdict: 'passed',
    spec: { name: 'peak-hour', path: '/specs/peak.yaml', seed: 42, description: 'Monday 9 am rush' },
    run: {
      id: 'run-fixture', loadspecVersion: '0.1.0', startedAt: new Date(RUN_START_MS).toISOString(), endedAt: new Date(RUN_START_MS + durationMs).toISOString(),
      durationMs, settings: { calls: outcomes.length, concurrency: 10, pacing: '2/s', seed: 42, threads: 2 },
    },
    thresholds: [],
    cost: { totalUsd: whole.costUsd, perCallUsd: whole.calls.started ? whole.costUsd / whole.calls.started : 0, byProvider: { openai: { usd: whole.costUsd, requests: 40, inputTokens: 12_000, outputTokens: 3_000 } }, byModel: { 'gpt-4o-mini': { usd: whole.costUsd, requests: 40, inputTokens: 12_000, outputTokens: 3_000 } } },
    scenarios: groupBy(outcomes, (o) => o.scenario),
    variants: groupBy(outcomes, (o) => o.variant),
    segments: groupBy(outcomes, (o) => o.segment),
    series: series(outcomes, 5_000),
    resources: { cpuPercentMax: 16, cpuPercentMean: 14, rssMaxBytes: 90e6, loopLagP99Ms: 3, threads: 2, saturated: false },
    ...overrides,
  };
}

/** A resolved spec shaped like the loader's output, for RunInfo in reporter tests. */
export function fixtureSpec(overrides: Partial<Spec> = {}): Spec {
  const target = { driver: 'sim', turnTimeoutMs: 10_000, maxReplyBytes: 65_536, latency: { p50Ms: 300, p95Ms: 600 }, replyDurationMs: 150, capacity: 50, failures: {} } as const;
  return {
    version: 1, name: 'peak-hour', description: 'Monday 9 am rush', sourcePath: '/specs/peak.yaml', target,
    load: { calls: 80, concurrency: 10, phases: [{ durationMs: 40_000, ratePerSec: 2, rampToPerSec: 2 }], arrivals: 'uniform', queueMaxWaitMs: 10_000, callTimeoutMs: 180_000, seed: 42, maxDurationMs: 600_000, gracePeriodMs: 30_000, retries: { attempts: 1, baseDelayMs: 100, maxDelayMs: 1000 }, threads: 2 },
    personas: { fields: {}, traits: {} },
    scenarios: [
      { name: 'scheduling', weight: 3, caller: 'scripted', turns: [] },
      { name: 'refill', weight: 1, caller: 'scripted', turns: [] },
    ],
    variants: [
      { name: 'prompt-v1', weight: 50, target },
      { name: 'prompt-v2', weight: 50, target },
    ],
    thresholds: [],
    report: { formats: ['html', 'json', 'junit'], sampleTranscripts: 3 },
    cost: { prices: {} },
    ...overrides,
  };
}

export function fixtureInfo(outDir: string, spec: Spec = fixtureSpec()): RunInfo {
  return { runId: 'run-fixture', spec, outDir, startedAtMs: RUN_START_MS, intervalMs: 5_000, threads: 2, settings: { calls: spec.load.calls, concurrency: spec.load.concurrency, pacing: '2/s' } };
}
