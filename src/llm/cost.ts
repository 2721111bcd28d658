/**
 * Token usage → US dollars. The price table is the spec's `cost.prices` (already merged
 * over the defaults by the spec loader); the defaults are consulted again here so a
 * hand-built Spec (tests, the library API) prices the common models too.
 */
import type { ModelPrice } from '../spec/types.js';
import type { TokenUsage } from '../results/types.js';
import { DEFAULT_PRICES } from '../spec/defaults.js';

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * The price of a model: an exact entry, else the longest entry that is a prefix followed
 * by `-` (dated snapshots such as `gpt-4o-mini-2024-07-18` cost what `gpt-4o-mini` costs).
 */
export function priceFor(model: string, prices: PriceTable): ModelPrice | undefined {
  for (const table of [prices, DEFAULT_PRICES]) {
    const exact = table[model];
    if (exact) return exact;
    let best: string | undefined;
    for (const name of Object.keys(table)) {
      if (model.startsWith(`${name}-`) && (best === undefined || name.length > best.length)) best = name;
    }
    if (best !== undefined) return table[best];
  }
  return undefined;
}

/** US dollars for some tokens of one model; 0 for a model with no known price. */
export function tokenCostUsd(model: string, inputTokens: number, outputTokens: number, prices: PriceTable): number {
  const price = priceFor(model, prices);
  if (!price) return 0;
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
}

/** US dollars for everything a call used (caller and judge). */
export function usageCostUsd(usage: readonly TokenUsage[], prices: PriceTable): number {
  let totalUsd = 0;
  for (const entry of usage) totalUsd += tokenCostUsd(entry.model, entry.inputTokens, entry.outputTokens, prices);
  return totalUsd;
}

/** Models in the usage that have no price, so the run can warn once instead of silently billing 0. */
export function unpricedModels(usage: readonly TokenUsage[], prices: PriceTable): string[] {
  return [...new Set(usage.map((entry) => entry.model))].filter((model) => !priceFor(model, prices));
}
