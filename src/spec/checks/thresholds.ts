/**
 * Every threshold parsed with the threshold grammar and checked against the metric
 * registry, plus the names it is scoped to: a threshold on a scenario or variant that does
 * not exist could never see data, which would make it pass or fail for the wrong reason.
 */
import { isLoadspecError } from '../../errors.js';
import { compileThreshold, parseThresholdKey } from '../../thresholds/parse.js';
import { isRecord } from '../raw.js';
import { thresholdItems } from '../resolve.js';
import { suggest } from '../suggest.js';
import { report, type CheckContext } from './context.js';
import { namesOf } from './weights.js';

export function checkThresholds(context: CheckContext): void {
  const thresholds = context.raw.thresholds;
  if (!isRecord(thresholds)) return;
  const known: Record<string, readonly string[] | undefined> = { scenario: namesOf(context, 'scenarios'), variant: namesOf(context, 'variants'), segment: segmentValues(context) };
  for (const [key, value] of Object.entries(thresholds)) {
    checkScope(context, key, known);
    let keyReported = false;
    for (const { item, index } of thresholdItems(value)) {
      const expression = typeof item === 'string' ? item : isRecord(item) && typeof item.threshold === 'string' ? item.threshold : undefined;
      if (expression === undefined) continue; // the schema reports the shape
      const at = index === undefined ? ['thresholds', key] : ['thresholds', key, index];
      try {
        compileThreshold(key, expression);
      } catch (error) {
        if (!isLoadspecError(error)) throw error;
        // Problems with the key are reported once, at the key; problems with an expression at the expression.
        const aboutKey = /^(threshold key|unknown metric)/.test(error.message);
        if (aboutKey && keyReported) continue;
        if (aboutKey) keyReported = true;
        report(context, error.message, aboutKey ? ['thresholds', key] : typeof item === 'string' ? at : [...at, 'threshold'], {
          code: 'LOADSPEC_THRESHOLD_INVALID',
          atKey: aboutKey,
          ...(error.problems[0]?.hint ? { hint: error.problems[0].hint } : {}),
        });
      }
    }
  }
}

/** Reports tags naming scenarios or variants the spec does not define. */
function checkScope(context: CheckContext, key: string, known: Readonly<Record<string, readonly string[] | undefined>>): void {
  let scope: Readonly<Record<string, string>>;
  try {
    scope = parseThresholdKey(key).scope;
  } catch {
    return; // compileThreshold reports it
  }
  for (const [tag, name] of Object.entries(scope)) {
    if (tag === 'segment' && !hasSegments(context)) {
      report(context, `threshold "${key}" is scoped to a segment, but personas.segmentBy is not set, so there are no segments`, ['thresholds', key], {
        code: 'LOADSPEC_THRESHOLD_INVALID',
        atKey: true,
        hint: 'set personas.segmentBy to the persona field whose values are the segments',
      });
      continue;
    }
    const names = known[tag];
    if (names && !names.includes(name)) {
      report(context, `threshold "${key}" is scoped to ${tag} "${name}", which the spec does not define${suggest(name, names)}`, ['thresholds', key], {
        code: 'LOADSPEC_THRESHOLD_INVALID',
        atKey: true,
        hint: `${tag}s: ${names.join(', ')}`,
      });
    }
  }
}

function hasSegments(context: CheckContext): boolean {
  return isRecord(context.raw.personas) && typeof context.raw.personas.segmentBy === 'string';
}

/**
 * The segment values a threshold may name, when they are known up front: the pool of the
 * segmentBy field, plus `other` (values past the first 20 are counted as other). CSV, date
 * and int fields have values only known at run time, so those are not checked.
 */
function segmentValues(context: CheckContext): string[] | undefined {
  const personas = context.raw.personas;
  if (!isRecord(personas) || typeof personas.segmentBy !== 'string' || !isRecord(personas.fields)) return undefined;
  if (context.csv?.header.includes(personas.segmentBy)) return undefined;
  const pool = personas.fields[personas.segmentBy];
  return Array.isArray(pool) ? [...pool.map(String), 'other'] : undefined;
}
