/**
 * Personas: the caller behind each planned call, drawn from `spec.personas`.
 *
 * Each call's persona depends only on (run seed, call index); each field draws from its own
 * generator (seeded by the field's name too), so adding or removing a field leaves the
 * values of every other field unchanged. A CSV row is chosen first and its columns become
 * fields; generated fields (pools, dates, ints) are laid over it, so a spec can add values a
 * CSV lacks, and a field defined both ways takes the generated value.
 *
 * Segments cut every metric, so their number is bounded: the first SEGMENT_LIMIT distinct
 * values of the `segmentBy` field, in the order the spec lists them (pool order, CSV row
 * order, ascending for ints and dates), are segments of their own; any other value falls in
 * the segment `other`. The set is fixed by the spec, not by which calls happen to run first.
 */
import type { FieldGenerator, PersonasSpec } from '../spec/types.js';
import type { Persona } from './types.js';
import { deriveSeed, createRng, hashString, STREAM, type Rng } from './prng.js';

/** Most distinct segment values; the rest share `other`. */
export const SEGMENT_LIMIT = 20;
export const OTHER_SEGMENT = 'other';

const MS_PER_DAY = 86_400_000;

export type PersonaGenerator = (index: number) => Persona;

/** `p-000042`: six digits, more when the plan is bigger. */
export function personaId(index: number): string {
  return `p-${String(index).padStart(6, '0')}`;
}

function parseDay(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`not an ISO date (yyyy-mm-dd): ${iso}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY;
}

function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** A field generator with its inputs parsed once per plan rather than once per call. */
interface CompiledField {
  readonly name: string;
  readonly salt: number;
  draw(rng: Rng): string;
  /** The first `limit` values this field can take, in spec order (for segments). */
  firstValues(limit: number): string[];
}

function compileField(name: string, generator: FieldGenerator): CompiledField {
  const salt = hashString(name);
  switch (generator.kind) {
    case 'pick': {
      const values = generator.values;
      if (values.length === 0) throw new RangeError(`persona field ${name} has an empty pool`);
      return { name, salt, draw: (rng) => rng.pick(values), firstValues: (limit) => distinct(values, limit) };
    }
    case 'date': {
      const fromDay = parseDay(generator.from);
      const toDay = parseDay(generator.to);
      const [low, high] = fromDay <= toDay ? [fromDay, toDay] : [toDay, fromDay];
      return {
        name,
        salt,
        draw: (rng) => formatDay(rng.int(low, high)),
        firstValues: (limit) => range(low, Math.min(high, low + limit - 1)).map(formatDay),
      };
    }
    case 'int': {
      const low = Math.ceil(Math.min(generator.min, generator.max));
      const high = Math.floor(Math.max(generator.min, generator.max));
      return {
        name,
        salt,
        draw: (rng) => String(rng.int(low, high)),
        firstValues: (limit) => range(low, Math.min(high, low + limit - 1)).map(String),
      };
    }
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n++) out.push(n);
  return out;
}

function distinct(values: Iterable<string>, limit: number): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.size >= limit) break;
    seen.add(value);
  }
  return [...seen];
}

/**
 * The segments a spec can produce (at most SEGMENT_LIMIT, plus `other` when the field has
 * more values), or undefined without `segmentBy`. Also tells whether values overflow.
 */
export function segmentValues(personas: PersonasSpec): { readonly values: readonly string[]; readonly overflows: boolean } | undefined {
  const field = personas.segmentBy;
  if (field === undefined) return undefined;
  const generator = personas.fields[field];
  let candidates: string[];
  if (generator) {
    // One more than the limit tells whether the field overflows into `other`.
    candidates = compileField(field, generator).firstValues(SEGMENT_LIMIT + 1);
  } else {
    candidates = distinct((personas.rows ?? []).map((row) => row[field] ?? ''), SEGMENT_LIMIT + 1);
  }
  return { values: candidates.slice(0, SEGMENT_LIMIT), overflows: candidates.length > SEGMENT_LIMIT };
}

/** Builds the persona generator for a run; the returned function is pure in `index`. */
export function createPersonaGenerator(personas: PersonasSpec, runSeed: number): PersonaGenerator {
  const fields = Object.entries(personas.fields).map(([name, generator]) => compileField(name, generator));
  const rows = personas.rows && personas.rows.length > 0 ? personas.rows : undefined;
  const patience = personas.traits.patienceMs;
  const segments = segmentValues(personas);
  const segmentSet = segments ? new Set(segments.values) : undefined;
  const segmentField = personas.segmentBy;

  return (index) => {
    const personaSeed = deriveSeed(runSeed, STREAM.persona, index);
    const values: Record<string, string> = {};
    if (rows) {
      const row = rows[createRng(deriveSeed(personaSeed, 'row', 1)).int(0, rows.length - 1)] ?? {};
      Object.assign(values, row);
    }
    // Index 0 for fields, 1 and 2 above and below: a field named `row` cannot share a seed.
    for (const field of fields) values[field.name] = field.draw(createRng(deriveSeed(personaSeed, field.salt, 0)));

    const persona: { id: string; fields: Readonly<Record<string, string>>; patienceMs?: number; segment?: string } = {
      id: personaId(index),
      fields: values,
    };
    if (patience) {
      const low = Math.round(Math.min(patience.minMs, patience.maxMs));
      const high = Math.round(Math.max(patience.minMs, patience.maxMs));
      persona.patienceMs = createRng(deriveSeed(personaSeed, 'patience', 2)).int(low, high);
    }
    if (segmentField !== undefined && segmentSet) {
      const value = values[segmentField] ?? '';
      persona.segment = segmentSet.has(value) ? value : OTHER_SEGMENT;
    }
    return persona;
  };
}
