/**
 * The figures loadspec holds itself to (issue #8), each read from a suite's result.
 * `measured` is undefined when the suite has not run; `met` compares it with the limit.
 */

const get = (object, path) => path.reduce((o, k) => (o == null ? undefined : o[k]), object);
const caseOf = (suite, key, value) => suite?.cases?.find((c) => c[key] === value);

export const TARGETS = [
  {
    id: 'engine_throughput',
    title: 'Engine throughput (sim, zero latency, 3 turns)',
    suite: 'throughput',
    unit: 'calls/s',
    limit: 5000,
    better: 'higher',
    read: (s) => get(s, ['burst', 'completedPerSec']),
  },
  {
    id: 'scale_memory',
    title: '10,000 concurrent sim calls: peak RSS',
    suite: 'scale',
    unit: 'MiB',
    limit: 1024,
    better: 'lower',
    read: (s) => (s && s.calls >= 10_000 ? s.peakRssMiB : undefined),
  },
  {
    id: 'pacing_sd_10',
    title: 'Inter-arrival sd at 10/s',
    suite: 'pacing',
    unit: 'ms',
    limit: 0.5,
    better: 'lower',
    read: (s) => caseOf(s, 'ratePerSec', 10)?.interArrivalSdMs,
  },
  {
    id: 'pacing_drift_10',
    title: 'Max cumulative drift at 10/s',
    suite: 'pacing',
    unit: 'ms',
    limit: 3,
    better: 'lower',
    read: (s) => {
      const d = caseOf(s, 'ratePerSec', 10)?.maxCumulativeDriftMs;
      return d === undefined ? undefined : Math.abs(d);
    },
  },
  {
    id: 'accuracy_p50_150',
    title: 'Reported p50 − true delay (150 ms)',
    suite: 'accuracy',
    unit: 'ms',
    limit: 1,
    better: 'lower',
    read: (s) => abs(caseOf(s, 'delayMs', 150)?.reportedMinusTrueMs?.p50),
  },
  {
    id: 'accuracy_p50_1000',
    title: 'Reported p50 − true delay (1000 ms)',
    suite: 'accuracy',
    unit: 'ms',
    limit: 1,
    better: 'lower',
    read: (s) => abs(caseOf(s, 'delayMs', 1000)?.reportedMinusTrueMs?.p50),
  },
  {
    id: 'cpu_per_call',
    title: 'CPU per 3-turn HTTP call (200/s, ~600 open)',
    suite: 'cost',
    unit: 'ms',
    limit: 0.6,
    better: 'lower',
    read: (s) => s?.cpuMsPerCallSteady ?? undefined,
  },
  {
    id: 'time_to_first_call',
    title: 'Start to first call',
    suite: 'startup',
    unit: 'ms',
    limit: 400,
    better: 'lower',
    read: (s) => get(s, ['firstCallAfterSpawnMs', 'median']),
  },
];

function abs(v) {
  return v === undefined || v === null ? undefined : Math.abs(v);
}

/** Every target with its measured figure, whether it is met, and measured / limit. */
export function evaluateTargets(suites) {
  return TARGETS.map((t) => {
    const entry = suites[t.suite];
    const measured = entry?.result ? t.read(entry.result) : undefined;
    const has = typeof measured === 'number' && Number.isFinite(measured);
    return {
      id: t.id,
      title: t.title,
      suite: t.suite,
      unit: t.unit,
      limit: t.limit,
      better: t.better,
      measured: has ? measured : null,
      ratio: has ? Math.round((measured / t.limit) * 1000) / 1000 : null,
      met: has ? (t.better === 'higher' ? measured >= t.limit : measured <= t.limit) : null,
      quick: entry?.quick === true,
    };
  });
}
