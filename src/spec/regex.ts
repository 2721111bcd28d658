/**
 * `matches:` patterns are JavaScript regular expressions written as YAML strings, with one
 * addition from other regex dialects users know: a leading `(?i)` makes them
 * case-insensitive. The spec keeps the source string (plain data for workers); checks
 * compile it with these helpers.
 */
export interface RegexParts {
  readonly source: string;
  readonly flags: string;
}

export function regexParts(pattern: string): RegexParts {
  return pattern.startsWith('(?i)') ? { source: pattern.slice(4), flags: 'i' } : { source: pattern, flags: '' };
}

export function compileMatch(pattern: string): RegExp {
  const { source, flags } = regexParts(pattern);
  return new RegExp(source, flags);
}

/** The error text for a pattern that does not compile, or null. */
export function regexError(pattern: string): string | null {
  try {
    compileMatch(pattern);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
