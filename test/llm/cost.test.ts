import { describe, expect, it } from 'vitest';
import { BudgetGuard, budgetGuardFor } from '../../src/llm/budget.js';
import { priceFor, tokenCostUsd, unpricedModels, usageCostUsd } from '../../src/llm/cost.js';
import type { CallOutcome, TokenUsage } from '../../src/results/types.js';
import type { RunInfo } from '../../src/report/reporter.js';
import { llmSpec } from './fixtures.js';

const prices = { 'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 }, 'local-llama': { inputPerMTok: 0, outputPerMTok: 0 }, 'my-model': { inputPerMTok: 3, outputPerMTok: 12 } };

describe('cost', () => {
  it('prices tokens per million, input and output apart', () => {
    expect(tokenCostUsd('gpt-4o-mini', 1_000_000, 0, prices)).toBeCloseTo(0.15, 12);
    expect(tokenCostUsd('gpt-4o-mini', 2000, 500, prices)).toBeCloseTo((2000 * 0.15 + 500 * 0.6) / 1e6, 15);
    expect(tokenCostUsd('my-model', 1000, 1000, prices)).toBeCloseTo(0.015, 15);
  });

  it('prices dated snapshots like their family, preferring the longest name', () => {
    expect(priceFor('gpt-4o-mini-2024-07-18', prices)).toEqual(prices['gpt-4o-mini']);
    // Not in the spec's table: the built-in defaults still price it.
    expect(priceFor('gpt-4o-2024-08-06', prices)?.inputPerMTok).toBeGreaterThan(0.15);
    expect(priceFor('gpt-4o-2024-08-06', prices)).toEqual(priceFor('gpt-4o', {}));
  });

  it('a spec price wins over the default', () => {
    expect(priceFor('gpt-4o', { 'gpt-4o': { inputPerMTok: 1, outputPerMTok: 1 } })).toEqual({ inputPerMTok: 1, outputPerMTok: 1 });
  });

  it('sums caller and judge usage of a call, and names models with no price', () => {
    const usage: TokenUsage[] = [
      { purpose: 'caller', model: 'gpt-4o-mini', requests: 3, inputTokens: 900, outputTokens: 60 },
      { purpose: 'judge', model: 'my-model', requests: 1, inputTokens: 400, outputTokens: 80 },
      { purpose: 'judge', model: 'mystery', requests: 1, inputTokens: 400, outputTokens: 80 },
    ];
    expect(usageCostUsd(usage, prices)).toBeCloseTo((900 * 0.15 + 60 * 0.6 + 400 * 3 + 80 * 12) / 1e6, 15);
    expect(unpricedModels(usage, prices)).toEqual(['mystery']);
    expect(tokenCostUsd('mystery', 1e6, 1e6, prices)).toBe(0);
  });
});

function outcome(costUsd: number): CallOutcome {
  return { v: 1, index: 0, id: 'c', scenario: 's', variant: 'v', personaId: 'p', status: 'passed', dueAtMs: 0, endedAtMs: 0, queueWaitMs: 0, attempts: 1, turns: [], checkFailures: [], usage: [], costUsd };
}

describe('budget guard', () => {
  it('stops the run once the projected spend passes the budget, and only once', () => {
    const reasons: string[] = [];
    const guard = new BudgetGuard({ budgetUsd: 1, abort: (reason) => reasons.push(reason) });
    guard.onBegin({ spec: { ...llmSpec(), load: { ...llmSpec().load, calls: 100 } } } as unknown as RunInfo);
    guard.onCallEnd(outcome(0.009)); // projected 0.90
    guard.onCallEnd(outcome(0.009)); // projected 0.90
    expect(reasons).toEqual([]);
    expect(guard.state()).toMatchObject({ callsEnded: 2, plannedCalls: 100, exceeded: false });
    guard.onCallEnd(outcome(0.015)); // 0.033 / 3 × 100 = 1.10
    expect(reasons).toEqual(['budget']);
    expect(guard.state().projectedUsd).toBeCloseTo(1.1, 10);
    guard.onCallEnd(outcome(0.5));
    expect(reasons).toEqual(['budget']);
    expect(guard.state().exceeded).toBe(true);
  });

  it('free calls never trip it, and no budget means no guard', () => {
    const reasons: string[] = [];
    const guard = budgetGuardFor(0.01, (reason) => reasons.push(reason), 1000);
    for (let i = 0; i < 50; i++) guard?.onCallEnd(outcome(0));
    expect(reasons).toEqual([]);
    expect(guard?.state().projectedUsd).toBe(0);
    expect(budgetGuardFor(undefined, () => undefined)).toBeUndefined();
  });
});
