/**
 * HDR histograms for trends, in microseconds so nothing is rounded to whole milliseconds.
 *
 * We use the plain JavaScript Int32 histogram: the WebAssembly one needs explicit memory
 * management (destroy) for every short-lived interval histogram, in every worker, and the
 * packed one encodes ~40x slower (3 ms per small histogram against ~0.1 ms, measured),
 * which matters when every worker ships deltas each second. A shipped series costs about
 * 0.1-0.25 ms to encode in the worker and 0.2-0.5 ms to decode and merge on the main
 * thread (measured on a busy 2-core machine); only cuts that saw events are shipped.
 * Three significant digits keep percentiles within 0.1%. Counts add exactly, so the sum
 * of several histograms equals the histogram of all their values.
 */
import * as hdr from 'hdr-histogram-js';
import type { TrendStats } from './summary.js';

export type Histogram = hdr.Histogram;

const BIT_BUCKET_SIZE = 32;

/** Always the JavaScript implementation (see above), so its bucket arithmetic is available. */
export function newHistogram(): Histogram {
  return hdr.build({ bitBucketSize: BIT_BUCKET_SIZE, useWebAssembly: false, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(base64: string): Histogram {
  const h = hdr.decodeFromCompressedBase64(base64, BIT_BUCKET_SIZE, false);
  // Decoded histograms are sized to their contents; later merges into them must grow them.
  h.autoResize = true;
  return h;
}

/** Adds `other` into `into`, growing it as needed. */
export function addHistogram(into: Histogram, other: Histogram): void {
  into.add(other);
}

/** Milliseconds (sub-ms precision) to whole microseconds; negative clock skew counts as 0. */
export function toMicros(ms: number): number {
  return Math.max(0, Math.round(ms * 1000));
}

export const EMPTY_TREND: TrendStats = Object.freeze({ count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 });

/**
 * Trend statistics in ms. The exact sum, min and max (kept beside the histogram) give an
 * exact mean and extremes; percentiles come from the histogram.
 */
export function trendStats(h: Histogram | undefined, exact: { sumUs: number; minUs?: number; maxUs?: number }): TrendStats {
  if (!h || h.totalCount === 0) return EMPTY_TREND;
  const minUs = exact.minUs ?? h.getValueAtPercentile(0);
  const maxUs = exact.maxUs ?? h.getValueAtPercentile(100);
  // getValueAtPercentile answers with the top of the value's bucket (about 1 ms wide at 1 s
  // with three significant digits), a one-sided error; the bucket's middle halves it and is
  // unbiased. Clamping keeps every percentile within the exact min and max.
  const js = h as unknown as hdr.JsHistogram;
  const at = (p: number): number => Math.min(maxUs, Math.max(minUs, js.medianEquivalentValue(h.getValueAtPercentile(p)))) / 1000;
  return {
    count: h.totalCount,
    min: minUs / 1000,
    mean: exact.sumUs / h.totalCount / 1000,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    max: maxUs / 1000,
  };
}
