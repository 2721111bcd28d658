/** Semantic checks: what JSON Schema cannot say about a spec. Order matters only in that persona fields (CSV) load first. */
import { checkLoad } from './load.js';
import { checkPersonas } from './personas.js';
import { checkScenarios } from './scenarios.js';
import { checkTarget } from './target.js';
import { checkThresholds } from './thresholds.js';
import { checkWeightedLists } from './weights.js';
import type { CheckContext } from './context.js';

export async function runChecks(context: CheckContext): Promise<void> {
  checkPersonas(context);
  checkLoad(context);
  checkWeightedLists(context);
  checkTarget(context);
  checkScenarios(context);
  checkThresholds(context);
}
