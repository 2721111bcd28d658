/**
 * Handlebars templates in the spec: syntax errors found at load, and `{{persona.X}}` naming
 * a field no persona has. The latter is an error, not a warning: a typo would otherwise make
 * every caller say an empty string and the run would measure the wrong conversation.
 */
import Handlebars from 'handlebars';
import { templateError } from '../../persona/template.js';
import type { SpecPath } from '../source.js';
import { suggest } from '../suggest.js';
import { report, type CheckContext } from './context.js';
import { personaFieldNames } from './personas.js';

const MUSTACHE = /\{\{\{?([^}]*)\}?\}\}/g;
const PERSONA_REF = /(?:^|[^\w.])(?:@root\.)?persona\.([A-Za-z_$][\w$]*)/g;

export function checkTemplate(context: CheckContext, text: unknown, at: SpecPath): void {
  if (typeof text !== 'string' || !text.includes('{{')) return;
  const error = templateError(text);
  if (error !== null) {
    report(context, `template error: ${explain(text, error)}`, at, { hint: 'templates use Handlebars: {{persona.firstName}}, {{scenario}}, {{variant}}, {{callId}}, {{text}}' });
    return;
  }
  const fields = personaFieldNames(context);
  if (!fields) return;
  const unknown = new Set<string>();
  for (const [, inner] of text.matchAll(MUSTACHE)) {
    for (const [, field] of (inner ?? '').matchAll(PERSONA_REF)) if (field && !fields.includes(field)) unknown.add(field);
  }
  for (const field of unknown) {
    report(context, `template uses {{persona.${field}}}, but personas have no field "${field}"${suggest(field, fields)}`, at, {
      hint: fields.length > 0 ? `persona fields: ${fields.join(', ')}` : 'define persona fields under personas.fields or personas.from',
    });
  }
}

/** Checks every string inside a JSON value (an HTTP body, a WebSocket message). */
export function checkJsonTemplates(context: CheckContext, value: unknown, at: SpecPath): void {
  if (typeof value === 'string') checkTemplate(context, value, at);
  else if (Array.isArray(value)) value.forEach((item, index) => checkJsonTemplates(context, item, [...at, index]));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkJsonTemplates(context, item, [...at, key]);
  }
}

/**
 * Handlebars' first error line is often just "Parse error on line 1:"; the useful part
 * ("Expecting 'ID', got 'EOF'") is its last line.
 */
function explain(text: string, firstLine: string): string {
  if (!firstLine.endsWith(':')) return firstLine;
  try {
    Handlebars.parse(text);
  } catch (error) {
    const lines = error instanceof Error ? error.message.split('\n') : [];
    const last = lines[lines.length - 1] ?? '';
    const got = /got '([^']*)'/.exec(last)?.[1];
    if (got === 'EOF') return 'the template ends inside a {{...}} tag or before a {{#block}} is closed with {{/block}}';
    if (got !== undefined) return `unexpected ${got} in a {{...}} tag`;
    if (last !== '' && last !== firstLine) return last;
  }
  return firstLine.replace(/:$/, '');
}
