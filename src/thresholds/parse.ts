/**
 * The threshold grammar. A threshold is a key naming a metric (optionally scoped by tags)
 * and one or more expressions it must satisfy:
 *
 *     key        := metric [ "{" tag ":" value { "," tag ":" value } "}" ]
 *     tag        := scenario | variant | segment
 *     expression := [ aggregation ] operator value
 *     aggregation:= avg | min | max | med | p(NN) | pNN | rate | count | value
 *                   (NN may have decimals: p99.9, p(99.9); med is p50)
 *     operator   := "<" | "<=" | ">" | ">=" | "==" | "!="
 *     value      := number [ unit ]
 *     unit       := a duration unit as elsewhere in a spec: ms, s, m, h, or compound like 1m30s
 *                   (for trend metrics; a unit is required)
 *                 | %                (rates; a plain number 0..1 is a fraction)
 *                 |                  (counts and gauges: a plain number)
 *
 * Which aggregations a metric allows follows its type (metrics/registry.ts AGGREGATIONS).
 * Rate metrics, counters and gauges may omit the aggregation (`failure_rate: "< 5%"` means
 * `rate < 5%`); trends must name one, because "response_time < 1s" is ambiguous.
 *
 * Every function throws a LoadspecError with code LOADSPEC_THRESHOLD_INVALID whose
 * message says what is wrong and lists what is allowed; the spec loader adds positions.
 */
import { LoadspecError } from '../errors.js';
import { AGGREGATIONS, METRICS, METRIC_NAMES, TAGS, type MetricDef } from '../metrics/registry.js';
import { suggest } from '../spec/suggest.js';
import { parseDuration } from '../spec/units.js';
import type { ThresholdOperator, ThresholdSpec } from '../spec/types.js';

export interface ThresholdKey {
  readonly key: string;
  readonly metric: string;
  readonly scope: Readonly<Record<string, string>>;
}

export interface ThresholdExpression {
  readonly expression: string;
  /** As written, normalised: `p(95)` and `p95` both become `p95`, `med` stays `med`; undefined when omitted. */
  readonly aggregation?: string;
  readonly percentile?: number;
  readonly operator: ThresholdOperator;
  readonly value: number;
  /** How the value was written: a duration (in ms), a percentage (as a fraction), or a plain number. */
  readonly unit: 'ms' | 'percent' | 'number';
}

/** A threshold checked against the metric registry, with its value in the metric's unit. */
export type CompiledThreshold = Omit<ThresholdSpec, 'allowNoData' | 'abortOnFail' | 'abortDelayMs' | 'position'>;

const OPERATORS: readonly ThresholdOperator[] = ['<=', '>=', '==', '!=', '<', '>'];
const KEY_RE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\{(.*)\})?\s*$/;
const EXPRESSION_RE = /^\s*([A-Za-z]+(?:\(\s*[\d.]+\s*\)|[\d.]+)?)?\s*(<=|>=|==|!=|<|>)\s*(-?[\d.][^<>=!]*?)\s*$/;

function invalid(message: string, hint?: string): LoadspecError {
  return new LoadspecError('LOADSPEC_THRESHOLD_INVALID', message, hint === undefined ? {} : { hint });
}

/** `response_time{scenario:refill, variant:v2}` → metric and scope. Does not check the metric exists. */
export function parseThresholdKey(key: string): ThresholdKey {
  const match = KEY_RE.exec(key);
  if (!match) {
    throw invalid(`threshold key "${key}" is not \`metric\` or \`metric{tag:value}\`, e.g. response_time{scenario:refill}`);
  }
  const metric = match[1] as string;
  const scope: Record<string, string> = {};
  if (match[2] !== undefined) {
    const body = match[2].trim();
    if (body === '') throw invalid(`threshold key "${key}" has empty braces; write e.g. ${metric}{scenario:refill} or just ${metric}`);
    for (const part of body.split(',')) {
      const pair = /^\s*([A-Za-z_][\w-]*)\s*:\s*([^\s:{}][^:{}]*?)\s*$/.exec(part);
      if (!pair) throw invalid(`threshold key "${key}": "${part.trim()}" is not \`tag:value\`, e.g. scenario:refill`);
      const tag = pair[1] as string;
      if (!(TAGS as readonly string[]).includes(tag)) {
        throw invalid(`threshold key "${key}": unknown tag "${tag}"${suggest(tag, TAGS)}`, `tags are ${TAGS.join(', ')}`);
      }
      if (scope[tag] !== undefined) throw invalid(`threshold key "${key}" names the tag "${tag}" twice`);
      scope[tag] = pair[2] as string;
    }
  }
  return { key, metric, scope };
}

/** `p95 < 1500ms` → aggregation, operator and value. Does not check the aggregation fits a metric. */
export function parseThresholdExpression(expression: string): ThresholdExpression {
  const match = EXPRESSION_RE.exec(expression);
  if (!match) {
    const hasOperator = OPERATORS.some((op) => expression.includes(op));
    throw invalid(
      hasOperator
        ? `threshold "${expression}" does not read \`aggregation operator value\`, e.g. "p95 < 1500ms" or "rate < 5%"`
        : `threshold "${expression}" has no comparison; operators are ${['<', '<=', '>', '>=', '==', '!='].join(' ')}, e.g. "p95 < 1500ms"`,
    );
  }
  const [, rawAggregation, operator, rawValue] = match as unknown as [string, string | undefined, ThresholdOperator, string];
  const { value, unit } = parseValue(expression, rawValue);
  let aggregation: string | undefined;
  let percentile: number | undefined;
  if (rawAggregation !== undefined) {
    const p = /^p\(?\s*([\d.]+)\s*\)?$/.exec(rawAggregation);
    if (p) {
      percentile = Number(p[1]);
      if (!Number.isFinite(percentile) || percentile <= 0 || percentile >= 100) {
        throw invalid(`threshold "${expression}": percentile ${p[1]} must be between 0 and 100 (exclusive), e.g. p95 or p(99.9)`);
      }
      aggregation = `p${percentile}`;
    } else if (['avg', 'min', 'max', 'med', 'rate', 'count', 'value'].includes(rawAggregation)) {
      aggregation = rawAggregation;
      if (rawAggregation === 'med') percentile = 50;
    } else {
      throw invalid(`threshold "${expression}": unknown aggregation "${rawAggregation}"; aggregations are avg, min, max, med, pNN or p(NN), rate, count, value`);
    }
  }
  return {
    expression,
    ...(aggregation !== undefined ? { aggregation } : {}),
    ...(percentile !== undefined ? { percentile } : {}),
    operator,
    value,
    unit,
  };
}

/** A threshold's value: a plain number, a percentage, or a duration written as the spec writes them (1500ms, 1.5s, 1m30s). */
function parseValue(expression: string, raw: string): { value: number; unit: ThresholdExpression['unit'] } {
  const percent = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(raw);
  if (percent) return { value: Math.round(Number(percent[1]) * 1e9) / 1e11, unit: 'percent' };
  if (/^-?\d+(\.\d+)?$/.test(raw)) return { value: Number(raw), unit: 'number' };
  const duration = parseDuration(raw);
  if (duration.ok) return { value: duration.value, unit: 'ms' };
  throw invalid(`threshold "${expression}": "${raw}" is not a number, a percentage or a duration; write e.g. 1500ms, 1.5s, 1m30s, 5% or 0.05`);
}

/** Aggregations a metric allows, spelled for messages (`pNN` as `pNN`). */
export function allowedAggregations(def: MetricDef): readonly string[] {
  return AGGREGATIONS[def.type];
}

/**
 * Parses key and expression and checks them against the metric registry: the metric
 * exists, the aggregation suits its type, and the value's unit suits the metric.
 */
export function compileThreshold(key: string, expression: string): CompiledThreshold {
  const parsedKey = parseThresholdKey(key);
  const def = METRICS.get(parsedKey.metric);
  if (!def) throw invalid(`unknown metric "${parsedKey.metric}"${suggest(parsedKey.metric, METRIC_NAMES)}`, `metrics are ${METRIC_NAMES.join(', ')}`);
  const parsed = parseThresholdExpression(expression);
  const allowed = allowedAggregations(def);
  let aggregation = parsed.aggregation;
  if (aggregation === undefined) {
    if (def.type === 'trend') {
      throw invalid(`threshold "${expression}" on ${def.name} needs an aggregation (${allowed.join(', ')}), e.g. "p95 ${expression.trim()}"`);
    }
    aggregation = allowed[0] as string;
  }
  const generic = parsed.percentile !== undefined && aggregation !== 'med' ? 'pNN' : aggregation;
  if (!allowed.includes(generic)) {
    throw invalid(`aggregation "${aggregation}" does not apply to ${def.name} (a ${def.type})`, `${def.name} allows ${allowed.join(', ')}`);
  }
  const value = valueFor(def, aggregation, parsed, expression);
  return {
    metric: parsedKey.metric,
    scope: parsedKey.scope,
    key,
    expression,
    aggregation,
    ...(parsed.percentile !== undefined ? { percentile: parsed.percentile } : {}),
    operator: parsed.operator,
    value,
  };
}

function valueFor(def: MetricDef, aggregation: string, parsed: ThresholdExpression, expression: string): number {
  if (def.type === 'trend') {
    if (parsed.unit !== 'ms') {
      throw invalid(`threshold "${expression}": ${def.name} is measured in time; give the value a unit, e.g. ${parsed.value}ms or ${parsed.value}s`);
    }
    return parsed.value;
  }
  if (def.type === 'rate') {
    if (parsed.unit === 'ms') throw invalid(`threshold "${expression}": ${def.name} is a rate; write a percentage like 5% or a fraction like 0.05`);
    if (parsed.value < 0 || parsed.value > 1) {
      throw invalid(`threshold "${expression}": ${def.name} is a rate between 0 and 1; write a percentage like 5% or a fraction like 0.05`);
    }
    return parsed.value;
  }
  // Counters and gauges: plain numbers (a counter's `rate` is per second).
  if (parsed.unit !== 'number') {
    const what = aggregation === 'rate' ? 'a number per second' : 'a plain number';
    throw invalid(`threshold "${expression}": ${def.name} is a ${def.type}; its value is ${what}, without a unit`);
  }
  return parsed.value;
}
