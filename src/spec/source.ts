/**
 * A spec file as parsed YAML that still knows where everything was written, so every
 * problem can point at `file:line:col`. Paths are JSON-pointer-like arrays
 * (`['load', 'phases', 1, 'duration']`).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { Problem, SourcePosition } from '../errors.js';
import { ERROR_CODES } from '../errors.js';

export type SpecPath = readonly (string | number)[];

export interface SpecSource {
  /** The file as the user named it, for messages. */
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

const UNQUOTED_TEMPLATE = /:\s+\{\{/;
/** The most common YAML mistake in a spec: a template at the start of a value reads as a mapping. */
export const QUOTE_TEMPLATE_HINT = 'quote values that start with {{, e.g. say: "{{persona.firstName}} here" (YAML reads { as the start of a mapping)';

export function parseSpecSource(file: string, text: string): { source: SpecSource; problems: Problem[] } {
  const lineCounter = new LineCounter();
  // logLevel 'error': yaml would otherwise print process warnings (e.g. for `{{x}}` keys) to stderr.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, merge: true, logLevel: 'error' });
  const problems: Problem[] = [];
  const lines = text.split(/\r?\n/);
  for (const error of doc.errors) {
    const at = error.linePos?.[0];
    const lineText = lines[(at?.line ?? 1) - 1] ?? '';
    // yaml appends " at line L, column C:" and a code excerpt; the position is shown anyway.
    const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    problems.push({
      code: 'LOADSPEC_YAML_SYNTAX',
      message: `YAML: ${message}`,
      hint: UNQUOTED_TEMPLATE.test(lineText) ? QUOTE_TEMPLATE_HINT : ERROR_CODES.LOADSPEC_YAML_SYNTAX.hint,
      position: { file, line: at?.line ?? 1, col: at?.col ?? 1 },
    });
  }
  return { source: { file, doc, lineCounter }, problems };
}

function positionAt(source: SpecSource, offset: number | undefined): SourcePosition {
  if (offset === undefined) return { file: source.file, line: 1, col: 1 };
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, col };
}

interface Located {
  node: Node | null;
  /** The pair whose value is `node`, when it sits in a map. */
  pair?: Pair;
}

/** Walks the YAML nodes along a path as far as it goes; returns every step reached. */
function walk(source: SpecSource, path: SpecPath): Located[] {
  const steps: Located[] = [{ node: (source.doc.contents as Node | null) ?? null }];
  let current: Node | null = steps[0]!.node;
  for (const segment of path) {
    if (isMap(current)) {
      const pair = current.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
      if (!pair) break;
      current = (pair.value as Node | null) ?? null;
      steps.push({ node: current, pair: pair as Pair });
    } else if (isSeq(current)) {
      const item = current.items[Number(segment)];
      if (item === undefined) break;
      current = item as Node;
      steps.push({ node: current });
    } else {
      break;
    }
  }
  return steps;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function nodeStart(located: Located): number | undefined {
  // A key with an empty value (`target:`) has no value node; point at the key instead.
  return located.node?.range?.[0] ?? (located.pair?.key as Node | undefined)?.range?.[0];
}

/** Position of the value at `path` (or of the deepest part of the path that exists). */
export function valuePosition(source: SpecSource, path: SpecPath): SourcePosition {
  const steps = walk(source, path);
  return positionAt(source, nodeStart(steps[steps.length - 1]!));
}

/** Position of the key at the end of `path` (for unknown keys); the value's when it is a list item. */
export function keyPosition(source: SpecSource, path: SpecPath): SourcePosition {
  const steps = walk(source, path);
  const last = steps[steps.length - 1]!;
  if (steps.length === path.length + 1 && last.pair) {
    return positionAt(source, (last.pair.key as Node | undefined)?.range?.[0]);
  }
  return positionAt(source, nodeStart(last));
}

/**
 * Position for something missing from the object at `path`: the object's own key
 * (`target:` when target lacks `url`), or the object itself when it is a list item or the root.
 */
export function parentPosition(source: SpecSource, path: SpecPath): SourcePosition {
  return keyPosition(source, path);
}

/** `['load', 'phases', 1, 'duration']` → `load.phases[1].duration`. */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : /^[A-Za-z_][\w-]*$/.test(segment) ? `.${segment}` : `["${segment}"]`;
  }
  return out === '' ? 'the spec' : out;
}

/** `/load/phases/1/duration` (a JSON pointer, as ajv reports paths) → `['load', 'phases', 1, 'duration']`. */
export function pointerToPath(pointer: string): SpecPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
