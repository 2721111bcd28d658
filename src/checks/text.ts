/**
 * Text matchers shared by turn checks: `contains` (every listed phrase, case-insensitive)
 * and `matches` (a regular expression, `(?i)` prefix as spec/regex.ts reads it). Patterns
 * compile once and are cached, because the same few run on every call.
 */
import { compileMatch } from '../spec/regex.js';
import type { TextMatch } from '../spec/types.js';

const patterns = new Map<string, RegExp>();

function compilePattern(source: string): RegExp {
  let pattern = patterns.get(source);
  if (!pattern) {
    pattern = compileMatch(source);
    patterns.set(source, pattern);
  }
  return pattern;
}

export interface MatchMiss {
  /** `contains "confirmed"`, `matches /date of birth/`. */
  readonly check: string;
}

/** The parts of `match` that `text` does not satisfy (empty: it satisfies all of them). */
export function textMisses(match: TextMatch, text: string): MatchMiss[] {
  const misses: MatchMiss[] = [];
  const lower = text.toLowerCase();
  for (const phrase of match.contains ?? []) {
    if (!lower.includes(phrase.toLowerCase())) misses.push({ check: `contains ${JSON.stringify(phrase)}` });
  }
  if (match.matches !== undefined && !compilePattern(match.matches).test(text)) {
    misses.push({ check: `matches /${match.matches}/` });
  }
  return misses;
}

/**
 * The parts of a `not` block that `text` does satisfy: `not: { contains: [sorry] }` fails
 * when any listed phrase appears, `not: { matches }` when the pattern matches.
 */
export function textHits(match: TextMatch, text: string): MatchMiss[] {
  const hits: MatchMiss[] = [];
  const lower = text.toLowerCase();
  for (const phrase of match.contains ?? []) {
    if (lower.includes(phrase.toLowerCase())) hits.push({ check: `not contains ${JSON.stringify(phrase)}` });
  }
  if (match.matches !== undefined && compilePattern(match.matches).test(text)) {
    hits.push({ check: `not matches /${match.matches}/` });
  }
  return hits;
}
