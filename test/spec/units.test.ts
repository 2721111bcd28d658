import { describe, expect, it } from 'vitest';
import { formatDuration, formatRate, parseBytes, parseDuration, parsePercent, parseRate } from '../../src/spec/units.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['3m', 180_000],
    ['2min', 120_000],
    ['1h', 3_600_000],
    ['0s', 0],
    [' 10 s ', 10_000],
    ['.5s', 500],
    ['1m30s', 90_000],
    ['1h15m', 4_500_000],
    ['2s500ms', 2500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  it('refuses bare numbers, with the fix in the message', () => {
    expect(parseDuration(30)).toEqual({ ok: false, error: '30 has no unit; write a duration like 30ms or 30s' });
    expect(parseDuration('30')).toEqual({ ok: false, error: '"30" has no unit; write a duration like 30ms or 30s' });
  });

  it('refuses words and unknown units', () => {
    expect(parseDuration('10 seconds')).toEqual({ ok: false, error: '"10 seconds" is not a duration; write e.g. 250ms, 1.5s, 3m, 1h or 1m30s' });
    expect(parseDuration('').ok).toBe(false);
    expect(parseDuration('30s1m').ok).toBe(false);
    expect(parseDuration('5d').ok).toBe(false);
    expect(parseDuration('-1s').ok).toBe(false);
    expect(parseDuration(true).ok).toBe(false);
  });
});

describe('parseRate', () => {
  it.each([
    ['5/s', 5],
    ['0.5/s', 0.5],
    ['30/min', 0.5],
    ['120/h', 120 / 3600],
    ['1000/s', 1000],
    ['0.01/s', 0.01],
    ['36/h', 0.01],
  ])('%s is %d calls/s', (text, perSec) => {
    const result = parseRate(text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toBeCloseTo(perSec, 10);
  });

  it('keeps rates within 0.01/s .. 1000/s', () => {
    expect(parseRate('1001/s')).toEqual({ ok: false, error: '"1001/s" is outside the allowed rates, 0.01/s (36/h) to 1000/s' });
    expect(parseRate('1/h').ok).toBe(false);
    expect(parseRate('0/s').ok).toBe(false);
  });

  it('refuses bare numbers unless asked (the --pacing flag accepts them)', () => {
    expect(parseRate('5')).toEqual({ ok: false, error: '"5" has no unit; write a rate like 5/s or 5/min' });
    expect(parseRate(5)).toEqual({ ok: false, error: '5 has no unit; write a rate like 5/s or 5/min' });
    expect(parseRate('2.5', { allowBare: true })).toEqual({ ok: true, value: 2.5 });
    expect(parseRate('5000', { allowBare: true }).ok).toBe(false);
  });

  it('refuses other shapes', () => {
    expect(parseRate('5 per second')).toEqual({ ok: false, error: '"5 per second" is not a rate; write e.g. 5/s, 0.5/s, 30/min or 120/h' });
    expect(parseRate('5/day').ok).toBe(false);
  });
});

describe('parsePercent', () => {
  it('reads percentages as fractions', () => {
    expect(parsePercent('5%')).toEqual({ ok: true, value: 0.05 });
    expect(parsePercent('0.5%')).toEqual({ ok: true, value: 0.005 });
    expect(parsePercent('7%')).toEqual({ ok: true, value: 0.07 });
    expect(parsePercent('100%')).toEqual({ ok: true, value: 1 });
  });

  it('accepts fractions only where allowed', () => {
    expect(parsePercent(0.05)).toEqual({ ok: false, error: '0.05 has no unit; write a percentage like 0.05%' });
    expect(parsePercent(0.05, { allowFraction: true })).toEqual({ ok: true, value: 0.05 });
    expect(parsePercent(5, { allowFraction: true })).toEqual({ ok: false, error: '5 is not a fraction between 0 and 1; write a percentage like 5%' });
  });

  it('refuses more than 100% and other text', () => {
    expect(parsePercent('150%')).toEqual({ ok: false, error: '"150%" is more than 100%' });
    expect(parsePercent('five percent').ok).toBe(false);
  });
});

describe('parseBytes', () => {
  it('reads sizes', () => {
    expect(parseBytes('1MiB')).toEqual({ ok: true, value: 1_048_576 });
    expect(parseBytes('64kb')).toEqual({ ok: true, value: 64_000 });
    expect(parseBytes(4096)).toEqual({ ok: true, value: 4096 });
    expect(parseBytes('lots').ok).toBe(false);
    expect(parseBytes(0).ok).toBe(false);
  });
});

describe('formatting back', () => {
  it('prints the shortest readable unit', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(180_000)).toBe('3m');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatRate(5)).toBe('5/s');
    expect(formatRate(0.5)).toBe('0.5/s');
    expect(formatRate(1 / 60)).toBe('1/min');
    expect(formatRate(0.01)).toBe('36/h');
  });
});
