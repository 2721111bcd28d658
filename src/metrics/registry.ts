/**
 * The metric vocabulary: one registry that the live view, the reports and the thresholds
 * all read. A metric's type decides which threshold aggregations it allows.
 */
export type MetricType = 'counter' | 'rate' | 'trend' | 'gauge';
export type MetricUnit = 'calls' | 'fraction' | 'ms' | 'usd' | 'tokens' | 'percent' | 'bytes';

export interface MetricDef {
  readonly name: string;
  readonly type: MetricType;
  readonly unit: MetricUnit;
  readonly description: string;
}

const defs = [
  { name: 'planned', type: 'counter', unit: 'calls', description: 'calls the plan schedules' },
  { name: 'started', type: 'counter', unit: 'calls', description: 'calls that got a line and started' },
  { name: 'active', type: 'gauge', unit: 'calls', description: 'calls in progress at a moment' },
  { name: 'peak_active', type: 'gauge', unit: 'calls', description: 'the most calls in progress at once' },
  { name: 'passed', type: 'counter', unit: 'calls', description: 'calls that completed with every check holding' },
  { name: 'failed', type: 'counter', unit: 'calls', description: 'calls that completed but failed a check or the judge' },
  { name: 'errored', type: 'counter', unit: 'calls', description: 'calls that could not complete (see errors by code)' },
  { name: 'dropped', type: 'counter', unit: 'calls', description: 'arrivals that waited longer than queue.maxWait for a free line' },
  { name: 'failure_rate', type: 'rate', unit: 'fraction', description: '(failed + errored) / started' },
  { name: 'drop_rate', type: 'rate', unit: 'fraction', description: 'dropped / planned' },
  { name: 'response_time', type: 'trend', unit: 'ms', description: "end of the caller's utterance to the agent's first reply byte or audio" },
  { name: 'turn_time', type: 'trend', unit: 'ms', description: "end of the caller's utterance to the end of the agent's reply" },
  { name: 'connect_time', type: 'trend', unit: 'ms', description: 'call start to connected' },
  { name: 'call_duration', type: 'trend', unit: 'ms', description: 'call start to hang-up' },
  { name: 'queue_wait', type: 'trend', unit: 'ms', description: "an arrival's due time to its actual start (coordinated omission stays visible)" },
  { name: 'cost', type: 'counter', unit: 'usd', description: 'US dollars spent (LLM tokens, telephony)' },
  { name: 'tokens', type: 'counter', unit: 'tokens', description: 'LLM tokens used by callers and judges' },
] as const satisfies readonly MetricDef[];

export type MetricName = (typeof defs)[number]['name'];
export type TrendMetricName = Extract<(typeof defs)[number], { type: 'trend' }>['name'];

export const METRICS: ReadonlyMap<string, MetricDef> = new Map(defs.map((d) => [d.name, d]));
export const METRIC_NAMES: readonly MetricName[] = defs.map((d) => d.name);
export const TREND_METRICS: readonly TrendMetricName[] = defs.filter((d) => d.type === 'trend').map((d) => d.name as TrendMetricName);

/** Tags every metric can be cut by. */
export const TAGS = ['scenario', 'variant', 'segment'] as const;
export type TagName = (typeof TAGS)[number];

/** Threshold aggregations each metric type allows (`pNN` stands for any percentile). */
export const AGGREGATIONS: Readonly<Record<MetricType, readonly string[]>> = {
  trend: ['avg', 'min', 'max', 'med', 'pNN'],
  rate: ['rate'],
  counter: ['count', 'rate'],
  gauge: ['value', 'max'],
};
