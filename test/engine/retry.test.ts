import { describe, expect, it } from 'vitest';
import { CallError } from '../../src/errors.js';
import { retryDelayMs, withRetries } from '../../src/drivers/retry.js';

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 300 };

describe('retry backoff', () => {
  it('is exponential with full jitter, capped at maxDelay', () => {
    expect(retryDelayMs(policy, 1, () => 0.5)).toBe(50);
    expect(retryDelayMs(policy, 2, () => 0.5)).toBe(100);
    expect(retryDelayMs(policy, 3, () => 0.999)).toBeCloseTo(299.7);
    expect(retryDelayMs(policy, 5, () => 0.5)).toBe(150);
    expect(retryDelayMs(policy, 2, () => 0)).toBe(0);
  });

  it('honours Retry-After as given', () => {
    expect(retryDelayMs(policy, 1, () => 0.5, 2_000)).toBe(2_000);
    expect(retryDelayMs(policy, 3, () => 0.5, 0)).toBe(0);
  });

  it('retries retryable errors up to the attempt limit, waiting what the server asked', async () => {
    const waits: number[] = [];
    const seen: number[] = [];
    const result = withRetries(
      async (attempt) => {
        seen.push(attempt);
        throw new CallError('rate_limited', '429', { retryAfterMs: 1_500 });
      },
      { policy, random: () => 0.5, signal: new AbortController().signal, sleep: async (ms) => void waits.push(ms) },
    );
    await expect(result).rejects.toMatchObject({ code: 'rate_limited' });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(waits).toEqual([1_500, 1_500, 1_500]);
  });

  it('returns the first success and never retries non-retryable errors', async () => {
    let calls = 0;
    const ok = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw new CallError('connect_refused', 'refused');
        return 'connected';
      },
      { policy, random: () => 0.25, signal: new AbortController().signal, sleep: async () => undefined },
    );
    expect(ok).toBe('connected');
    expect(calls).toBe(3);
    let fatal = 0;
    await expect(
      withRetries(
        async () => {
          fatal++;
          throw new CallError('http_5xx', '500');
        },
        { policy, random: () => 0.5, signal: new AbortController().signal, sleep: async () => undefined },
      ),
    ).rejects.toMatchObject({ code: 'http_5xx' });
    expect(fatal).toBe(1);
  });

  it('waits in real time and stops waiting when the call is cancelled', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const attempt = withRetries(
      async () => {
        throw new CallError('rate_limited', '429', { retryAfterMs: 60 });
      },
      { policy: { ...policy, attempts: 2 }, random: () => 0.5, signal: controller.signal },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'rate_limited' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);

    const cancelled = withRetries(
      async () => {
        throw new CallError('rate_limited', '429', { retryAfterMs: 10_000 });
      },
      { policy, random: () => 0.5, signal: controller.signal },
    );
    setTimeout(() => controller.abort(new CallError('aborted', 'stop')), 20);
    await expect(cancelled).rejects.toMatchObject({ code: 'aborted' });
  });
});
