/**
 * Token counts of one call, kept per purpose and model exactly as the provider billed them
 * (the `usage` block of each response), so the run's totals can be checked against the
 * provider's invoice.
 */
import type { TokenUsage } from '../results/types.js';

export interface BilledTokens {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export class UsageMeter {
  readonly #entries = new Map<string, TokenUsage>();

  add(purpose: TokenUsage['purpose'], model: string, billed: BilledTokens): void {
    const key = `${purpose}\u0000${model}`;
    const before = this.#entries.get(key);
    this.#entries.set(key, {
      purpose,
      model,
      requests: (before?.requests ?? 0) + 1,
      inputTokens: (before?.inputTokens ?? 0) + billed.inputTokens,
      outputTokens: (before?.outputTokens ?? 0) + billed.outputTokens,
    });
  }

  entries(): readonly TokenUsage[] {
    return [...this.#entries.values()];
  }
}
