/**
 * Which spec fields hold secrets. Their values never appear in a message, a plan or a
 * report: a spec is reviewed in pull requests and its output lands in CI logs.
 */
import type { SpecPath } from './source.js';

const SECRET_HEADER = /authorization|api[-_]?key|token|secret|password|cookie/i;

/** True for `llm.apiKey` and for headers whose name looks like a credential. */
export function isSecretPath(path: SpecPath): boolean {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return false;
  if (path.length === 2 && path[0] === 'llm' && last === 'apiKey') return true;
  return path[path.length - 2] === 'headers' && isSecretHeader(last);
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** Quotes a value for a message, or says only that it is secret. */
export function showValue(path: SpecPath, value: unknown): string {
  if (isSecretPath(path)) return '(a secret value, not shown)';
  if (typeof value === 'string') return `"${value.length > 80 ? `${value.slice(0, 77)}...` : value}"`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
