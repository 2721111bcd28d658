/**
 * The spend guard (`cost.budgetUsd`): a reporter on the main thread that watches every
 * call's cost as it ends and stops the run once the projected spend passes the budget.
 *
 *   projected = spent so far / calls ended × calls planned
 *
 * Projection, not the spend itself, so the run stops while there is still budget left
 * instead of after it is gone. Dropped and errored calls count as ended: they are part of
 * the plan and cost what they cost.
 */
import type { Reporter, RunInfo } from '../report/reporter.js';
import type { CallOutcome } from '../results/types.js';

export const BUDGET_ABORT_REASON = 'budget';

export interface BudgetState {
  readonly budgetUsd: number;
  readonly spentUsd: number;
  readonly callsEnded: number;
  readonly plannedCalls: number;
  readonly projectedUsd: number;
  /** Set once the guard has stopped the run. */
  readonly exceeded: boolean;
}

export interface BudgetGuardOptions {
  readonly budgetUsd: number;
  /** Calls this run (or shard) will place; read from the spec at onBegin when absent. */
  readonly plannedCalls?: number;
  /** Stops the run: the engine's abort('budget'). Called at most once. */
  readonly abort: (reason: string) => void;
}

export class BudgetGuard implements Reporter {
  readonly name = 'budget';
  readonly #budgetUsd: number;
  readonly #abort: (reason: string) => void;
  #plannedCalls: number | undefined;
  #spentUsd = 0;
  #callsEnded = 0;
  #exceeded = false;

  constructor(options: BudgetGuardOptions) {
    this.#budgetUsd = options.budgetUsd;
    this.#abort = options.abort;
    this.#plannedCalls = options.plannedCalls;
  }

  onBegin(info: RunInfo): void {
    this.#plannedCalls ??= info.spec.load.calls;
  }

  onCallEnd(outcome: CallOutcome): void {
    this.#spentUsd += outcome.costUsd;
    this.#callsEnded++;
    if (!this.#exceeded && this.state().projectedUsd > this.#budgetUsd) {
      this.#exceeded = true;
      this.#abort(BUDGET_ABORT_REASON);
    }
  }

  state(): BudgetState {
    const plannedCalls = Math.max(this.#plannedCalls ?? this.#callsEnded, this.#callsEnded);
    const projectedUsd = this.#callsEnded === 0 ? 0 : (this.#spentUsd / this.#callsEnded) * plannedCalls;
    return { budgetUsd: this.#budgetUsd, spentUsd: this.#spentUsd, callsEnded: this.#callsEnded, plannedCalls, projectedUsd, exceeded: this.#exceeded };
  }
}

/** The guard for a spec with a budget, or undefined when it sets none. */
export function budgetGuardFor(budgetUsd: number | undefined, abort: (reason: string) => void, plannedCalls?: number): BudgetGuard | undefined {
  if (budgetUsd === undefined) return undefined;
  return new BudgetGuard({ budgetUsd, abort, ...(plannedCalls !== undefined ? { plannedCalls } : {}) });
}
