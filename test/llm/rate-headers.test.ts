import { describe, expect, it } from 'vitest';
import { parseResetDuration, retryDelayFromHeaders } from '../../src/llm/rate-headers.js';

const headers = (values: Record<string, string>): Headers => new Headers(values);

describe('parseResetDuration', () => {
  it.each([
    ['1s', 1000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1m30.5s', 90_500],
    ['1h2m', 3_720_000],
    ['0.5s', 500],
    ['250us', 0.25],
    ['2', 2000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseResetDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', 'soon', '5 s', '1x', 's', '1s junk'])('rejects %j', (text) => {
    expect(parseResetDuration(text)).toBeUndefined();
  });
});

describe('retryDelayFromHeaders', () => {
  it('prefers retry-after-ms, then retry-after seconds', () => {
    expect(retryDelayFromHeaders(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryDelayFromHeaders(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryDelayFromHeaders(headers({ 'retry-after': '0.5' }))).toBe(500);
  });

  it('reads retry-after as an HTTP date', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    expect(retryDelayFromHeaders(headers({ 'retry-after': 'Fri, 04 Dec 2026 10:00:03 GMT' }), now)).toBe(3000);
    expect(retryDelayFromHeaders(headers({ 'retry-after': 'Fri, 04 Dec 2026 09:59:00 GMT' }), now)).toBe(0);
  });

  it('uses the reset of the exhausted limit only', () => {
    const both = { 'x-ratelimit-reset-requests': '6m0s', 'x-ratelimit-reset-tokens': '20ms' };
    expect(retryDelayFromHeaders(headers({ ...both, 'x-ratelimit-remaining-requests': '12', 'x-ratelimit-remaining-tokens': '0' }))).toBe(20);
    expect(retryDelayFromHeaders(headers({ ...both, 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '400' }))).toBe(360_000);
    // Remaining unknown: the longer wait is the safe one.
    expect(retryDelayFromHeaders(headers(both))).toBe(360_000);
  });

  it('asks for nothing when no header says how long', () => {
    expect(retryDelayFromHeaders(headers({}))).toBeUndefined();
    expect(retryDelayFromHeaders(undefined)).toBeUndefined();
    expect(retryDelayFromHeaders(headers({ 'retry-after': 'later', 'x-ratelimit-reset-tokens': 'never' }))).toBeUndefined();
  });
});
