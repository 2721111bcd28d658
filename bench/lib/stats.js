/** Small, exact statistics over arrays of numbers (no sampling, no streaming). */

export function sorted(values) {
  return Float64Array.from(values).sort();
}

/** Linear-interpolated quantile, q in 0..1, of an already sorted array. */
export function quantileSorted(s, q) {
  if (s.length === 0) return NaN;
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return s[lo] + (s[hi] - s[lo]) * (at - lo);
}

export function quantile(values, q) {
  return quantileSorted(sorted(values), q);
}

export function median(values) {
  return quantile(values, 0.5);
}

export function mean(values) {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n - 1). */
export function stddev(values) {
  if (values.length < 2) return 0;
  const m = mean(values);
  let sq = 0;
  for (const v of values) sq += (v - m) ** 2;
  return Math.sqrt(sq / (values.length - 1));
}

/** Rounds for display and JSON: enough digits to compare, no binary noise. */
export function round(value, digits = 3) {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
