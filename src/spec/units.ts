/**
 * Human units in specs: durations (`250ms`, `1.5s`, `3m`, `1h`, `1m30s`), rates (`5/s`, `30/min`,
 * `120/h`), percentages (`5%`) and sizes (`1MiB`). Each parser returns the number in the
 * unit the resolved Spec uses (ms, calls per second, a fraction, bytes) or an error message
 * a user can act on; the loader adds the position.
 */

export type UnitResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: string };

const ok = (value: number): UnitResult => ({ ok: true, value });
const fail = (error: string): UnitResult => ({ ok: false, error });

const DURATION_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
const RATE_PER_SEC: Readonly<Record<string, number>> = { s: 1, sec: 1, m: 1 / 60, min: 1 / 60, h: 1 / 3600 };
const BYTES: Readonly<Record<string, number>> = { b: 1, kb: 1000, kib: 1024, mb: 1_000_000, mib: 1024 * 1024, gb: 1e9, gib: 1024 ** 3 };

/** Rates a spec may ask for, in calls per second. */
export const MIN_RATE_PER_SEC = 0.01;
export const MAX_RATE_PER_SEC = 1000;

const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const DURATION_RE = new RegExp(`^${NUMBER}\\s*(ms|s|m|min|h)$`);
const COMPOUND_RE = /^(?:\d+h)?(?:\d+m(?!s))?(?:\d+s)?(?:\d+ms)?$/;
const COMPOUND_PART_RE = /(\d+)(ms|h|m|s)/g;
const RATE_RE = new RegExp(`^${NUMBER}\\s*/\\s*(s|sec|m|min|h)$`);
const PERCENT_RE = new RegExp(`^${NUMBER}\\s*%$`);
const BYTES_RE = new RegExp(`^${NUMBER}\\s*(b|kb|kib|mb|mib|gb|gib)$`, 'i');

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** `250ms`, `1.5s`, `3m`, `1h` → milliseconds. Bare numbers are refused: `30` could mean anything. */
export function parseDuration(input: unknown): UnitResult {
  if (typeof input === 'number') {
    return fail(`${input} has no unit; write a duration like ${input}ms or ${input}s`);
  }
  if (typeof input !== 'string') return fail(`expected a duration like 250ms, 1.5s, 3m or 1h, not ${show(input)}`);
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return fail(`"${input}" has no unit; write a duration like ${text}ms or ${text}s`);
  const match = DURATION_RE.exec(text);
  if (match) return ok(Math.round(Number(match[1]) * DURATION_MS[match[2] as string]! * 1000) / 1000);
  // Compound durations, largest unit first, as Go and k6 write them: 1m30s, 1h15m, 2s500ms.
  if (text !== '' && COMPOUND_RE.test(text)) {
    let ms = 0;
    for (const part of text.matchAll(COMPOUND_PART_RE)) ms += Number(part[1]) * DURATION_MS[part[2] as string]!;
    return ok(Math.round(ms * 1000) / 1000);
  }
  return fail(`"${input}" is not a duration; write e.g. 250ms, 1.5s, 3m, 1h or 1m30s`);
}

/**
 * `5/s`, `0.5/s`, `30/min`, `120/h` → calls per second, within 0.01/s .. 1000/s.
 * `allowBare` accepts a plain number as calls per second (the `--pacing` flag does).
 */
export function parseRate(input: unknown, options: { allowBare?: boolean } = {}): UnitResult {
  let perSec: number;
  const bare = typeof input === 'number' ? input : typeof input === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(input) ? Number(input) : undefined;
  if (bare !== undefined) {
    if (!options.allowBare) return fail(`${show(input)} has no unit; write a rate like ${bare}/s or ${bare}/min`);
    perSec = bare;
  } else {
    if (typeof input !== 'string') return fail(`expected a rate like 5/s, 0.5/s, 30/min or 120/h, not ${show(input)}`);
    const match = RATE_RE.exec(input.trim());
    if (!match) return fail(`"${input}" is not a rate; write e.g. 5/s, 0.5/s, 30/min or 120/h`);
    perSec = Number(match[1]) * RATE_PER_SEC[match[2] as string]!;
  }
  // A little tolerance so 1/min (0.01666/s) and 36/h (exactly 0.01/s) are not refused by rounding.
  if (perSec < MIN_RATE_PER_SEC - 1e-12 || perSec > MAX_RATE_PER_SEC + 1e-9) {
    return fail(`${show(input)} is outside the allowed rates, 0.01/s (36/h) to 1000/s`);
  }
  return ok(perSec);
}

/** `5%` → 0.05. With `allowFraction`, a plain number 0..1 is taken as the fraction itself. */
export function parsePercent(input: unknown, options: { allowFraction?: boolean } = {}): UnitResult {
  if (typeof input === 'number' || (typeof input === 'string' && /^\s*\d*\.?\d+\s*$/.test(input))) {
    const value = Number(input);
    if (!options.allowFraction) return fail(`${show(input)} has no unit; write a percentage like ${value}%`);
    if (value < 0 || value > 1) return fail(`${show(input)} is not a fraction between 0 and 1; write a percentage like 5%`);
    return ok(value);
  }
  if (typeof input !== 'string') return fail(`expected a percentage like 5% or 0.5%, not ${show(input)}`);
  const match = PERCENT_RE.exec(input.trim());
  if (!match) return fail(`"${input}" is not a percentage; write e.g. 5% or 0.5%`);
  const value = Number(match[1]);
  if (value > 100) return fail(`"${input}" is more than 100%`);
  // Round away binary noise (7% → 0.07, not 0.07000000000000001).
  return ok(Math.round(value * 1e9) / 1e11);
}

/** `1MiB`, `512KiB`, `64kb`, or a whole number of bytes → bytes. */
export function parseBytes(input: unknown): UnitResult {
  if (typeof input === 'number') {
    return Number.isInteger(input) && input > 0 ? ok(input) : fail(`${input} is not a positive whole number of bytes`);
  }
  if (typeof input !== 'string') return fail(`expected a size like 1MiB or 512KiB, not ${show(input)}`);
  const match = BYTES_RE.exec(input.trim());
  if (!match) return fail(`"${input}" is not a size; write e.g. 1MiB, 512KiB or 65536`);
  const value = Math.round(Number(match[1]) * BYTES[(match[2] as string).toLowerCase()]!);
  return value > 0 ? ok(value) : fail(`"${input}" is not a positive size`);
}

/** Formats milliseconds back into the shortest human duration, for messages and plans. */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(3))}s`;
  return `${Number(ms.toFixed(3))}ms`;
}

/** Formats calls per second as the most readable rate: `5/s`, `30/min`, `36/h`. */
export function formatRate(perSec: number): string {
  if (perSec >= 1 || Number.isInteger(perSec * 10)) return `${Number(perSec.toFixed(3))}/s`;
  if (perSec * 60 >= 1) return `${Number((perSec * 60).toFixed(3))}/min`;
  return `${Number((perSec * 3600).toFixed(3))}/h`;
}
