/**
 * The cost summary: LLM usage per model priced by the spec's price table (provider
 * `openai`: every LLM call goes through the OpenAI-compatible client), and whatever the
 * calls' own costUsd holds beyond that (telephony, unpriced models) under `other`.
 */
import { tokenCostUsd } from '../llm/cost.js';
import type { Spec } from '../spec/types.js';
import type { CostSummary } from './summary.js';

export interface ModelUsage {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

type Line = { usd: number; requests: number; inputTokens: number; outputTokens: number };

export const LLM_PROVIDER = 'openai';
export const OTHER_PROVIDER = 'other';

export function costSummary(o: { spec: Spec; totalUsd: number; started: number; models: ReadonlyMap<string, ModelUsage> }): CostSummary {
  const byModel: Record<string, Line> = {};
  const llm: Line = { usd: 0, requests: 0, inputTokens: 0, outputTokens: 0 };
  for (const [model, use] of [...o.models].sort((a, b) => a[0].localeCompare(b[0]))) {
    // The same pricing the calls' costUsd used (dated snapshots priced like their family).
    const usd = tokenCostUsd(model, use.inputTokens, use.outputTokens, o.spec.cost.prices);
    byModel[model] = { usd, ...use };
    llm.usd += usd;
    llm.requests += use.requests;
    llm.inputTokens += use.inputTokens;
    llm.outputTokens += use.outputTokens;
  }
  const byProvider: Record<string, Line> = {};
  if (llm.requests > 0 || llm.inputTokens > 0) byProvider[LLM_PROVIDER] = llm;
  // Sub-micro-dollar leftovers are float noise between two ways of pricing the same tokens.
  const rest = o.totalUsd - llm.usd;
  if (rest > 1e-6) byProvider[OTHER_PROVIDER] = { usd: rest, requests: 0, inputTokens: 0, outputTokens: 0 };
  return {
    totalUsd: o.totalUsd,
    perCallUsd: o.started > 0 ? o.totalUsd / o.started : 0,
    byProvider,
    byModel,
    ...(o.spec.cost.budgetUsd !== undefined ? { budgetUsd: o.spec.cost.budgetUsd } : {}),
  };
}
