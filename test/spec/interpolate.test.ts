import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/errors.js';
import { checkSpec, loadSpec } from '../../src/spec/load.js';
import { interpolate } from '../../src/spec/interpolate.js';
import { MINIMAL, tempDir, type TempDir } from './fixtures.js';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('interpolate', () => {
  it('replaces ${VAR}, uses ${VAR:-default} when unset or empty, and keeps $${ literal', () => {
    const env = { A: 'one', EMPTY: '' };
    expect(interpolate('${A}-${B:-two}-${EMPTY:-three}-$${A}', env)).toEqual({ value: 'one-two-three-${A}', missing: [], malformed: [] });
    expect(interpolate('${EMPTY}', env).value).toBe('');
    expect(interpolate('${X} ${X} ${Y}', env).missing).toEqual(['X', 'Y']);
    expect(interpolate('${1BAD} ${open', env).malformed).toEqual(['${1BAD}', '${open']);
  });
});

describe('${ENV} in specs', () => {
  it('fills values before validation, so an unquoted ${N} can be a number', async () => {
    // Block style: in a flow mapping ({ ... }) the braces of ${N} would need quotes.
    const file = tmp.write('s.yaml', MINIMAL.replace('load: { calls: 10, pacing: 5/s }', 'load:\n  calls: ${CALLS}\n  pacing: ${RATE:-2/s}').replace('say: hello', () => 'say: "Hi from ${TEAM}, costs $${PRICE}"'));
    const spec = await loadSpec(file, { env: { CALLS: '40', TEAM: 'qa', PRICE: '5' } });
    expect(spec.load.calls).toBe(40);
    expect(spec.load.phases[0]?.ratePerSec).toBe(2);
    expect(spec.scenarios[0]?.turns[0]?.say).toBe('Hi from qa, costs ${PRICE}');
  });

  it('keeps a quoted ${N} a string, so the schema says it must be a number', async () => {
    const file = tmp.write('s.yaml', MINIMAL.replace('calls: 10', 'calls: "${CALLS}"'));
    const result = await checkSpec(file, { env: { CALLS: '40' } });
    expect(result.problems.map(formatProblem)).toEqual([`${file}:4:16  load.calls must be a whole number, not "40"  (see schemas/loadspec.v1.json or the README for the spec format)`]);
  });

  it('names every missing variable at its string', async () => {
    const file = tmp.write('s.yaml', MINIMAL.replace('{ driver: sim }', '{ driver: http, url: "${AGENT_URL}" }').replace('say: hello', 'say: "${GREETING} ${NAME}"'));
    const result = await checkSpec(file, { env: {} });
    expect(result.problems.map((p) => `${p.code} ${p.position?.line}:${p.position?.col} ${p.message}`)).toEqual([
      'LOADSPEC_ENV_MISSING 3:30 environment variable AGENT_URL is not set (used by target.url)',
      'LOADSPEC_ENV_MISSING 8:14 environment variable GREETING is not set (used by scenarios[0].turns[0].say)',
      'LOADSPEC_ENV_MISSING 8:14 environment variable NAME is not set (used by scenarios[0].turns[0].say)',
    ]);
  });

  it('never echoes the value of a secret field', async () => {
    const secret = 'sk-live-DO-NOT-PRINT-123';
    const file = tmp.write(
      's.yaml',
      MINIMAL.replace(
        '{ driver: sim }',
        '{ driver: http, url: builtin, headers: { Authorization: "Bearer sk-live-DO-NOT-PRINT ${TOKEN", x-team: "Bearer ${TOKEN" } }',
      ).concat('llm:\n  apiKey:\n    - ${TOKEN}\n'),
    );
    const result = await checkSpec(file, { env: { TOKEN: secret } });
    const text = result.problems.map(formatProblem).join('\n');
    expect(result.problems.map((p) => p.message)).toEqual([
      'target.headers.Authorization: a ${...} reference is not ${NAME} or ${NAME:-default}',
      // The same mistake in a header that is not a secret shows the text, so hiding is specific.
      'target.headers.x-team: "${TOKEN" is not ${NAME} or ${NAME:-default}',
      'llm.apiKey must be text, not (a secret value, not shown)',
    ]);
    expect(text).not.toContain('DO-NOT-PRINT');
    expect(text).not.toContain('Bearer');
  });

  it('hides a secret even when the schema complains about its type', async () => {
    const file = tmp.write('s.yaml', MINIMAL.concat('llm: { apiKey: 12345678 }\n'));
    const result = await checkSpec(file, { env: {} });
    expect(result.problems.map((p) => p.message)).toEqual(['llm.apiKey must be text, not (a secret value, not shown)']);
  });
});
