import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { SCHEMA_PATH } from '../../src/spec/schema.js';
import { readmeSection } from '../support/readme.js';

type Schema = { [key: string]: unknown };
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Schema;

/** Every schema under a `properties` keyword, with its path, anywhere in the document. */
function properties(node: unknown, at: string, out: { at: string; schema: unknown }[] = []): { at: string; schema: unknown }[] {
  if (node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    node.forEach((item, index) => properties(item, `${at}/${index}`, out));
    return out;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && value !== null && typeof value === 'object') {
      for (const [name, sub] of Object.entries(value)) {
        out.push({ at: `${at}/properties/${name}`, schema: sub });
        properties(sub, `${at}/properties/${name}`, out);
      }
    } else {
      properties(value, `${at}/${key}`, out);
    }
  }
  return out;
}

describe('schemas/loadspec.v1.json', () => {
  it('is JSON Schema 2020-12 with an $id, and compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/^https:\/\/.+loadspec\.v1\.json$/);
    const ajv = new Ajv2020({ strict: true, strictTypes: false, allowUnionTypes: true });
    for (const format of ['duration', 'rate', 'percent', 'bytes', 'date']) ajv.addFormat(format, true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('describes every property', () => {
    const all = properties(schema, '#');
    expect(all.length).toBeGreaterThan(100);
    // `false` marks a property as not allowed for one driver; it is described where it is defined.
    const missing = all.filter(({ schema: s }) => s !== false && !(typeof s === 'object' && s !== null && typeof (s as Schema).description === 'string' && ((s as Schema).description as string).length > 10));
    expect(missing.map((m) => m.at)).toEqual([]);
  });

  it('closes every fixed-shape object with additionalProperties: false', () => {
    const open: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (node === null || typeof node !== 'object') return;
      const s = node as Schema;
      if (s.properties && s.additionalProperties !== false && !String(s.$ref ?? '').startsWith('#/$defs/targetFields') && !at.includes('/then') && !at.includes('/if')) open.push(at);
      for (const [key, value] of Object.entries(s)) visit(value, `${at}/${key}`);
    };
    visit(schema, '#');
    expect(open).toEqual([]);
  });

  it('has top-level sections for the whole Spec', () => {
    expect(Object.keys(schema.properties as Schema)).toEqual(['version', 'name', 'description', 'target', 'load', 'personas', 'scenarios', 'variants', 'thresholds', 'report', 'llm', 'cost']);
  });

  it('is referenced by the shipped specs for editors', () => {
    for (const name of ['peak.yaml', 'smoke.yaml']) {
      const text = readFileSync(path.join(import.meta.dirname, '..', '..', 'specs', name), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/loadspec.v1.json');
    }
  });
});

describe('the README spec reference', () => {
  // A field is documented when its name appears in code in the spec or thresholds section.
  it('documents every field of the schema', () => {
    // Thresholds have their own section; the rest of the spec is in the spec section.
    const section = readmeSection('The spec') + readmeSection('Thresholds');
    const fences = [...section.matchAll(/```[\s\S]*?```/g)].map((m) => m[0]);
    const prose = section.replace(/```[\s\S]*?```/g, '');
    const code = [...fences, ...[...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '')];
    const names = new Set(properties(schema, '#').map((p) => p.at.split('/').pop() ?? ''));
    const undocumented = [...names].filter((name) => !code.some((snippet) => new RegExp(`(^|[^\\w-])${name}([^\\w-]|$)`).test(snippet)));
    expect(undocumented).toEqual([]);
  });
});
