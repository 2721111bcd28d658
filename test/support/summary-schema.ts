/** The summary.json validator: ajv (JSON Schema 2020-12) compiled from schemas/summary.v1.json. */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export function summaryValidator() {
  const schema = JSON.parse(readFileSync(new URL('../../schemas/summary.v1.json', import.meta.url), 'utf8'));
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}
