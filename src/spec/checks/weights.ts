/** Scenarios and variants: unique names and weights that can actually choose something. */
import { report, type CheckContext } from './context.js';

export function checkWeightedLists(context: CheckContext): void {
  checkList(context, 'scenarios', 'scenario');
  checkList(context, 'variants', 'variant');
}

function checkList(context: CheckContext, key: 'scenarios' | 'variants', noun: string): void {
  const items = context.raw[key];
  if (!Array.isArray(items) || items.length === 0) return;
  const firstIndex = new Map<string, number>();
  let total = 0;
  let weightsValid = true;
  items.forEach((item: unknown, index) => {
    if (item === null || typeof item !== 'object') return;
    const { name, weight } = item as { name?: unknown; weight?: unknown };
    if (typeof name === 'string') {
      const first = firstIndex.get(name);
      if (first !== undefined) {
        report(context, `${noun} name "${name}" is used twice (first at ${key}[${first}])`, [key, index, 'name'], {
          hint: `give every ${noun} a unique name; reports and thresholds refer to ${noun}s by name`,
        });
      } else {
        firstIndex.set(name, index);
      }
    }
    if (weight === undefined) total += 1;
    else if (typeof weight === 'number' && weight >= 0) total += weight;
    else weightsValid = false;
  });
  if (weightsValid && total === 0) {
    report(context, `the weights of all ${key} add up to 0, so no call could pick one`, [key], {
      atKey: true,
      hint: `give at least one ${noun} a weight above 0`,
    });
  }
}

/** Names of the scenarios (or variants) the spec defines, for reference checks. */
export function namesOf(context: CheckContext, key: 'scenarios' | 'variants'): string[] {
  const items = context.raw[key];
  if (!Array.isArray(items)) return key === 'variants' ? ['default'] : [];
  return [...new Set(items.flatMap((item: unknown) => (item !== null && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string' ? [(item as { name: string }).name] : [])))];
}
