/**
 * Series keys: how a metric and its tags travel from workers to the main thread.
 *
 * A key is `name|scenario|variant|segment` (each part URI-encoded, so any name survives) for
 * metrics cut by tags, or `name|label` for the few untagged series (LLM usage per model).
 * Cardinality stays bounded: scenarios and variants are finite lists in the spec, segments
 * are capped by the plan at SEGMENT_CAP values plus `other`, and RunMetrics folds any
 * segment past the cap into `other` again as a guard. Series exist only once a value lands
 * in them, so an interval costs only the cuts that saw events.
 */
export const SEGMENT_CAP = 20;
export const OTHER_SEGMENT = 'other';
/** Segment of a call whose persona has none (no `personas.segmentBy`). */
export const NO_SEGMENT = '';

export interface Tags {
  readonly scenario: string;
  readonly variant: string;
  readonly segment: string;
}

/** The tags of anything that carries a scenario, a variant and a persona segment. */
export function tagsOf(scenario: string, variant: string, segment: string | undefined): Tags {
  return { scenario, variant, segment: segment ?? NO_SEGMENT };
}

export function seriesKey(name: string, tags: Tags): string {
  return `${enc(name)}|${enc(tags.scenario)}|${enc(tags.variant)}|${enc(tags.segment)}`;
}

export function labelKey(name: string, label: string): string {
  return `${enc(name)}|${enc(label)}`;
}

/** The part of a tagged key after its name: one cut of the calls. */
export function cutKey(tags: Tags): string {
  return `${enc(tags.scenario)}|${enc(tags.variant)}|${enc(tags.segment)}`;
}

export type ParsedKey =
  | { readonly kind: 'tagged'; readonly name: string; readonly tags: Tags }
  | { readonly kind: 'label'; readonly name: string; readonly label: string };

export function parseKey(key: string): ParsedKey {
  const parts = key.split('|').map(decodeURIComponent);
  const [name = '', a = '', b = '', c = ''] = parts;
  if (parts.length === 2) return { kind: 'label', name, label: a };
  if (parts.length === 4) return { kind: 'tagged', name, tags: { scenario: a, variant: b, segment: c } };
  throw new Error(`malformed metrics series key: ${key}`);
}

function enc(part: string): string {
  return encodeURIComponent(part);
}

// Counter names inside an IntervalDelta. Trend extremes and sums ride along as counters so
// the mean is exact and min/max are not bucket-rounded; their prefix says how they merge.
export const SUM_PREFIX = 'sum_us.';
export const MIN_PREFIX = 'min_us.';
export const MAX_PREFIX = 'max_us.';
export const ERROR_PREFIX = 'errors.';
/** Spend is counted in integer nano-dollars so sums do not depend on merge order. */
export const COST_COUNTER = 'cost_nusd';
export const TOKENS_COUNTER = 'tokens';
export const MODEL_REQUESTS = 'llm_requests';
export const MODEL_INPUT_TOKENS = 'llm_input_tokens';
export const MODEL_OUTPUT_TOKENS = 'llm_output_tokens';

export type MergeOp = 'sum' | 'min' | 'max';

export function mergeOpOf(counterName: string): MergeOp {
  if (counterName.startsWith(MIN_PREFIX)) return 'min';
  if (counterName.startsWith(MAX_PREFIX)) return 'max';
  return 'sum';
}

export function mergeCounter(op: MergeOp, current: number | undefined, value: number): number {
  if (current === undefined) return value;
  if (op === 'min') return Math.min(current, value);
  if (op === 'max') return Math.max(current, value);
  return current + value;
}
