/** Persona checks: ranges that run forwards, a CSV that loads, segmentBy naming a real field. */
import { isRecord } from '../raw.js';
import { isIsoDate } from '../schema.js';
import { suggest } from '../suggest.js';
import { parseDuration } from '../units.js';
import { report, type CheckContext } from './context.js';
import { checkCsv } from './csv.js';

export function checkPersonas(context: CheckContext): void {
  const personas = context.raw.personas;
  if (!isRecord(personas)) return;
  if (typeof personas.from === 'string') checkCsv(context, personas.from);
  if (isRecord(personas.fields)) {
    for (const [name, field] of Object.entries(personas.fields)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        report(context, `persona field "${name}" is not a usable name`, ['personas', 'fields', name], { atKey: true, hint: 'field names are letters, digits and _ (templates use them as {{persona.NAME}})' });
      }
      if (!isRecord(field)) continue;
      const date = field.date;
      if (Array.isArray(date) && date.length === 2 && typeof date[0] === 'string' && typeof date[1] === 'string' && isIsoDate(date[0]) && isIsoDate(date[1]) && date[0] > date[1]) {
        report(context, `persona field ${name}: the date range runs backwards (${date[0]} is after ${date[1]})`, ['personas', 'fields', name, 'date'], { hint: 'write { date: [earliest, latest] }' });
      }
      const int = field.int;
      if (Array.isArray(int) && int.length === 2 && typeof int[0] === 'number' && typeof int[1] === 'number' && int[0] > int[1]) {
        report(context, `persona field ${name}: min ${int[0]} is greater than max ${int[1]}`, ['personas', 'fields', name, 'int'], { hint: 'write { int: [min, max] }' });
      }
    }
  }
  const between = isRecord(personas.traits) && isRecord(personas.traits.patience) ? personas.traits.patience.between : undefined;
  if (Array.isArray(between) && between.length === 2) {
    const min = parseDuration(between[0]);
    const max = parseDuration(between[1]);
    if (min.ok && max.ok && min.value > max.value) {
      report(context, `personas.traits.patience: the shortest patience (${String(between[0])}) is longer than the longest (${String(between[1])})`, ['personas', 'traits', 'patience', 'between'], { hint: 'write { between: [shortest, longest] }' });
    }
  }
  if (typeof personas.segmentBy === 'string') {
    const fields = personaFieldNames(context);
    if (fields && !fields.includes(personas.segmentBy)) {
      report(context, `personas.segmentBy names "${personas.segmentBy}", which is not a persona field${suggest(personas.segmentBy, fields)}`, ['personas', 'segmentBy'], {
        hint: fields.length > 0 ? `persona fields: ${fields.join(', ')}` : 'define the field under personas.fields or in the CSV',
      });
    }
  }
}

/**
 * The persona fields a template may use, or undefined when they cannot be known (the CSV
 * did not load), so that no check reports a field as missing because of another problem.
 */
export function personaFieldNames(context: CheckContext): string[] | undefined {
  const personas = context.raw.personas;
  if (isRecord(personas) && typeof personas.from === 'string' && !context.csv) return undefined;
  const fields = isRecord(personas) && isRecord(personas.fields) ? Object.keys(personas.fields) : [];
  return [...new Set([...(context.csv?.header ?? []), ...fields])];
}
