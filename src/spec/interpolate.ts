/**
 * `${VAR}` and `${VAR:-default}` in string values, replaced from the environment before
 * the schema sees the spec (so `concurrency: ${CONCURRENCY:-10}` validates as a number).
 * `$${` writes a literal `${`. Keys are never interpolated. A missing variable is an
 * error naming it at the string's position; the value of a secret field is never shown.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { ERROR_CODES, type Problem } from '../errors.js';
import { isSecretPath } from './secrets.js';
import { formatPath, valuePosition, type SpecPath, type SpecSource } from './source.js';

const PATTERN = /\$\$\{|\$\{([^}]*)\}?/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function interpolateSource(source: SpecSource, env: NodeJS.ProcessEnv): { problems: Problem[]; failedPaths: SpecPath[] } {
  const problems: Problem[] = [];
  const failedPaths: SpecPath[] = [];
  const visit = (node: unknown, path: SpecPath): void => {
    if (isMap(node)) {
      for (const item of node.items) {
        if (isPair(item)) visit(item.value, [...path, isScalar(item.key) ? String(item.key.value) : String(item.key)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      const result = interpolate(node.value, env);
      if (result.missing.length > 0 || result.malformed.length > 0) {
        failedPaths.push(path);
        for (const name of result.missing) {
          problems.push({
            code: 'LOADSPEC_ENV_MISSING',
            message: `environment variable ${name} is not set (used by ${formatPath(path)})`,
            hint: ERROR_CODES.LOADSPEC_ENV_MISSING.hint,
            position: valuePosition(source, path),
          });
        }
        for (const text of result.malformed) {
          problems.push({
            code: 'LOADSPEC_SPEC_INVALID',
            message: `${formatPath(path)}: ${isSecretPath(path) ? 'a ${...} reference' : `"${text}"`} is not \${NAME} or \${NAME:-default}`,
            hint: 'names are letters, digits and _; write $${ for a literal ${',
            position: valuePosition(source, path),
          });
        }
        return;
      }
      node.value = coerce(node as Node, result.value);
    }
  };
  visit(source.doc.contents, []);
  return { problems, failedPaths };
}

interface Interpolated {
  value: string;
  missing: string[];
  malformed: string[];
}

export function interpolate(text: string, env: NodeJS.ProcessEnv): Interpolated {
  const missing: string[] = [];
  const malformed: string[] = [];
  const value = text.replace(PATTERN, (match: string, inner: string | undefined) => {
    if (match === '$${') return '${';
    if (inner === undefined || !match.endsWith('}')) {
      malformed.push(match);
      return match;
    }
    const separator = inner.indexOf(':-');
    const name = separator === -1 ? inner : inner.slice(0, separator);
    if (!NAME.test(name)) {
      malformed.push(match);
      return match;
    }
    const set = env[name];
    if (separator !== -1) return set === undefined || set === '' ? inner.slice(separator + 2) : set;
    if (set === undefined) {
      if (!missing.includes(name)) missing.push(name);
      return match;
    }
    return set;
  });
  return { value, missing, malformed };
}

/** An unquoted `${PORT}` that became `8080` is the number 8080, as if it had been written so. */
function coerce(node: Node, value: string): string | number | boolean {
  const plain = isScalar(node) && (node.type === 'PLAIN' || node.type === undefined);
  if (!plain) return value;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}
