/**
 * RFC 6901 JSON pointers: how a spec says where the call id, the reply text and the
 * hang-up flag sit in a receptionist's JSON (`/callId`, `/choices/0/delta/content`).
 * Pointers are parsed once per distinct string and cached, since every turn reuses them.
 */

const cache = new Map<string, readonly string[]>();

/** Splits a pointer into reference tokens; throws a RangeError for a malformed pointer. */
export function parsePointer(pointer: string): readonly string[] {
  const cached = cache.get(pointer);
  if (cached) return cached;
  if (pointer !== '' && !pointer.startsWith('/')) throw new RangeError(`JSON pointer "${pointer}" must be empty or start with "/"`);
  const tokens = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapeToken);
  if (cache.size > 1_000) cache.clear();
  cache.set(pointer, tokens);
  return tokens;
}

function unescapeToken(token: string): string {
  if (/~[^01]|~$/.test(token)) throw new RangeError(`JSON pointer token "${token}" has a "~" not followed by 0 or 1`);
  // Order matters (RFC 6901 §4): "~01" must become "~1", not "/".
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The value the pointer designates, or undefined when any step is missing. */
export function getPointer(document: unknown, pointer: string): unknown {
  let current: unknown = document;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object') {
      if (!Object.prototype.hasOwnProperty.call(current, token)) return undefined;
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}

/** JavaScript truthiness, except that the strings "false" and "0" count as false too. */
export function isTruthy(value: unknown): boolean {
  if (typeof value === 'string') return value !== '' && value !== 'false' && value !== '0';
  return Boolean(value);
}

/**
 * The text at `pointer` in a reply document: strings as they are, numbers and booleans
 * stringified, undefined when absent. Objects and arrays are not text: null is returned so
 * the caller can report a protocol error naming the pointer.
 */
export function textAt(document: unknown, pointer: string): string | undefined | null {
  const value = getPointer(document, pointer);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}
