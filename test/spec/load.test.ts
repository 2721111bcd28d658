import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoadspecError } from '../../src/errors.js';
import { checkSpec, loadSpec } from '../../src/spec/load.js';
import { migrate } from '../../src/spec/version.js';
import { MINIMAL, tempDir, type TempDir } from './fixtures.js';

const root = path.join(import.meta.dirname, '..', '..');
let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('the shipped specs', () => {
  it('peak.yaml resolves to 100 concurrent calls over a ramp and a peak, 4 scenarios, A/B variants', async () => {
    const spec = await loadSpec('specs/peak.yaml', { cwd: root, env: {} });
    expect(spec.target).toMatchObject({ driver: 'websocket', url: 'builtin', demo: { latencyMs: 200, jitterMs: 50, capacity: 50, faults: {} } });
    expect(spec.load.concurrency).toBe(100);
    expect(spec.load.phases).toEqual([
      { durationMs: 15_000, ratePerSec: 2, rampToPerSec: 25, name: 'ramp-up' },
      { durationMs: 45_000, ratePerSec: 25, rampToPerSec: 25, name: 'peak' },
    ]);
    // calls absent: the expected arrivals over the phases, (2+25)/2*15 + 25*45.
    expect(spec.load.calls).toBe(1328);
    expect(spec.scenarios.map((s) => [s.name, s.weight])).toEqual([['scheduling', 4], ['refill', 2], ['rescheduling', 2], ['office-hours', 1]]);
    expect(spec.variants.map((v) => [v.name, v.target.driver === 'websocket' && v.target.headers])).toEqual([
      ['prompt-v1', { 'x-prompt-version': 'v1' }],
      ['prompt-v2', { 'x-prompt-version': 'v2' }],
    ]);
    expect(spec.thresholds.map((t) => `${t.key}: ${t.expression}`)).toContain('failure_rate: < 5%');
    expect(spec.thresholds.find((t) => t.key === 'failure_rate{variant:prompt-v2}')).toMatchObject({ abortOnFail: true, abortDelayMs: 20_000, scope: { variant: 'prompt-v2' } });
    expect(spec.personas.traits.patienceMs).toEqual({ minMs: 4000, maxMs: 12_000 });
    expect(spec.personas.fields.dob).toEqual({ kind: 'date', from: '1940-01-01', to: '2005-12-31' });
  });

  it('every spec under specs/ validates without warnings', async () => {
    const files = readdirSync(path.join(root, 'specs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const result = await checkSpec(path.join('specs', file), { cwd: root, env: {} });
      expect({ file, problems: result.problems, warnings: result.warnings }).toEqual({ file, problems: [], warnings: [] });
    }
  });

  it('smoke.yaml is small and fast', async () => {
    const spec = await loadSpec('specs/smoke.yaml', { cwd: root, env: {} });
    expect(spec.target.driver).toBe('sim');
    expect(spec.load.calls).toBe(50);
    expect(spec.load.phases).toEqual([{ durationMs: 5000, ratePerSec: 10, rampToPerSec: 10, name: 'constant' }]);
  });
});

describe('the resolved spec', () => {
  it('fills in every default', async () => {
    const spec = await loadSpec(tmp.write('s.yaml', MINIMAL), { env: {} });
    expect(spec.load).toEqual({
      calls: 10,
      concurrency: 10,
      phases: [{ durationMs: 2000, ratePerSec: 5, rampToPerSec: 5, name: 'constant' }],
      arrivals: 'uniform',
      queueMaxWaitMs: 30_000,
      callTimeoutMs: 300_000,
      seed: 1,
      maxDurationMs: 3_600_000,
      gracePeriodMs: 30_000,
      retries: { attempts: 3, baseDelayMs: 250, maxDelayMs: 10_000 },
      threads: 0,
    });
    expect(spec.target).toEqual({ driver: 'sim', turnTimeoutMs: 30_000, maxReplyBytes: 1_048_576, latency: { p50Ms: 300, p95Ms: 900 }, replyDurationMs: 0, capacity: 1000, failures: {} });
    expect(spec.variants).toEqual([{ name: 'default', weight: 1, target: spec.target }]);
    expect(spec.report).toEqual({ formats: ['html', 'json', 'junit'], sampleTranscripts: 5 });
    expect(spec.cost.prices['gpt-4o-mini']).toEqual({ inputPerMTok: 0.15, outputPerMTok: 0.6 });
    expect(Object.keys(spec.cost.prices)).toEqual(['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano']);
    expect(spec.llm).toBeUndefined();
    expect(spec.scenarios[0]).toMatchObject({ name: 'a', weight: 1, caller: 'scripted', turns: [{ say: 'hello', pauseMs: 0 }] });
    expect(spec.sourcePath).toBe(path.join(tmp.dir, 's.yaml'));
  });

  it('speaks the demo protocol by default over http and websocket', async () => {
    const http = await loadSpec(tmp.write('h.yaml', MINIMAL.replace('{ driver: sim }', '{ driver: http, url: builtin }')), { env: {} });
    expect(http.target).toMatchObject({
      driver: 'http',
      url: 'builtin',
      headers: {},
      demo: { latencyMs: 200, jitterMs: 50, capacity: 50, faults: {} },
      start: { method: 'POST', path: '/calls', body: { scenario: '{{scenario}}', variant: '{{variant}}', caller: '{{persona.firstName}}' }, callId: '/callId' },
      turn: { method: 'POST', path: '/calls/{{callId}}/turns', body: { text: '{{text}}' }, reply: '/reply', hangup: '/hangup', stream: 'none' },
      end: { method: 'DELETE', path: '/calls/{{callId}}' },
    });
    const ws = await loadSpec(tmp.write('w.yaml', MINIMAL.replace('{ driver: sim }', '{ driver: websocket, url: "ws://127.0.0.1:1/ws", endField: "" }')), { env: {} });
    expect(ws.target).toEqual({
      driver: 'websocket',
      url: 'ws://127.0.0.1:1/ws',
      headers: {},
      turnTimeoutMs: 30_000,
      maxReplyBytes: 1_048_576,
      demo: { latencyMs: 200, jitterMs: 50, capacity: 50, faults: {} },
      send: { type: 'say', text: '{{text}}' },
      reply: '/text',
      hangupField: '/hangup',
      hangup: { type: 'hangup' },
    });
  });

  it('converts every unit and merges variant overrides deeply', async () => {
    const file = tmp.write(
      's.yaml',
      `version: 1
name: units
target:
  driver: http
  url: http://127.0.0.1:9
  headers: { x-team: qa, authorization: "Bearer abc" }
  turnTimeout: 1.5s
  maxReplyBytes: 64KiB
  demo: { latency: 1s, faults: { http_5xx: 2%, hang: 0.5% } }
  turn: { body: { text: "{{text}}", lang: en }, stream: sse }
load:
  phases: [{ duration: 1m, pacing: 30/min, rampTo: 120/min }]
  queue: { maxWait: 250ms }
  retries: { attempts: 1, backoff: 1s, maxBackoff: 2s }
personas:
  fields: { age: { int: [18, 90] }, tier: [1, 2] }
  traits: { patience: { between: [4s, 12s] } }
scenarios:
  - name: a
    turns: [{ say: hi, pause: 2s, expect: { contains: open, not: { contains: [closed, shut] }, within: 3s } }]
  - name: b
    caller: llm
    llm: { goal: book }
    judge: { rubric: [polite] }
variants:
  - { name: v1, weight: 3 }
  - name: v2
    target: { headers: { x-prompt-version: v2 }, turn: { body: { lang: fr } }, demo: { faults: { drop: 1% } } }
thresholds:
  response_time: [{ threshold: "p95 < 1s", abortOnFail: true, delayAbortEval: 30s }, "avg < 500ms"]
  dropped: { threshold: "count == 0", allowNoData: true }
report: { out: results, formats: [json] }
cost: { prices: { gpt-4o: { input: 1, output: 2 }, local: { input: 0, output: 0 } }, budget: 2.5 }
`,
    );
    const spec = await loadSpec(file, { env: {} });
    expect(spec.load.calls).toBe(75); // (0.5 + 2) / 2 * 60
    expect(spec.load.phases[0]).toEqual({ durationMs: 60_000, ratePerSec: 0.5, rampToPerSec: 2, name: 'phase 1' });
    expect(spec.load.queueMaxWaitMs).toBe(250);
    expect(spec.load.retries).toEqual({ attempts: 1, baseDelayMs: 1000, maxDelayMs: 2000 });
    expect(spec.personas.fields).toEqual({ age: { kind: 'int', min: 18, max: 90 }, tier: { kind: 'pick', values: ['1', '2'] } });
    expect(spec.scenarios[0]?.turns[0]).toMatchObject({ say: 'hi', pauseMs: 2000, expect: { contains: ['open'], not: { contains: ['closed', 'shut'] }, withinMs: 3000 } });
    expect(spec.scenarios[0]?.turns[0]?.position).toEqual({ file: file, line: 20, col: 13 });
    expect(spec.scenarios[1]).toMatchObject({ caller: 'llm', turns: [], llm: { goal: 'book', model: 'gpt-4o-mini', temperature: 0.7, maxTurns: 10 }, judge: { rubric: ['polite'], model: 'gpt-4o-mini' } });
    expect(spec.llm).toEqual({ requestTimeoutMs: 60_000, judgeConcurrency: 4 });
    const [v1, v2] = spec.variants;
    expect(v1?.target).toEqual(spec.target);
    if (v2?.target.driver !== 'http' || spec.target.driver !== 'http') throw new Error('expected http');
    expect(spec.target).toMatchObject({ turnTimeoutMs: 1500, maxReplyBytes: 65_536, demo: { latencyMs: 1000, faults: { http_5xx: 0.02, hang: 0.005 } } });
    expect(v2.target.headers).toEqual({ 'x-team': 'qa', authorization: 'Bearer abc', 'x-prompt-version': 'v2' });
    expect(v2.target.turn.body).toEqual({ text: '{{text}}', lang: 'fr' });
    expect(v2.target.turn.stream).toBe('sse');
    expect(v2.target.demo.faults).toEqual({ http_5xx: 0.02, hang: 0.005, drop: 0.01 });
    expect(spec.thresholds).toEqual([
      expect.objectContaining({ metric: 'response_time', aggregation: 'p95', value: 1000, abortOnFail: true, abortDelayMs: 30_000, allowNoData: false, position: { file, line: 30, col: 32 } }),
      expect.objectContaining({ metric: 'response_time', aggregation: 'avg', value: 500, abortOnFail: false }),
      expect.objectContaining({ metric: 'dropped', aggregation: 'count', operator: '==', value: 0, allowNoData: true }),
    ]);
    expect(spec.report).toEqual({ outDir: path.join(tmp.dir, 'results'), formats: ['json'], sampleTranscripts: 5 });
    expect(spec.cost).toMatchObject({ budgetUsd: 2.5, prices: { 'gpt-4o': { inputPerMTok: 1, outputPerMTok: 2 }, local: { inputPerMTok: 0, outputPerMTok: 0 }, 'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 } } });
  });

  it('is deep-frozen plain data that survives structuredClone', async () => {
    const spec = await loadSpec(path.join(root, 'specs', 'peak.yaml'), { env: {} });
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.load.phases[0])).toBe(true);
    expect(Object.isFrozen(spec.variants[1]?.target)).toBe(true);
    expect(() => {
      (spec.load as { calls: number }).calls = 1;
    }).toThrow(TypeError);
    expect(structuredClone(spec)).toEqual(spec);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });
});

describe('YAML reuse', () => {
  it('accepts x- extension fields for anchors, aliases and merge keys', async () => {
    const file = tmp.write(
      's.yaml',
      `version: 1
name: t
target: { driver: sim }
load: { calls: 10, pacing: 5/s }
x-bye: &bye
  say: bye
  pause: 1s
scenarios:
  - name: a
    turns:
      - *bye
      - <<: *bye
        say: later
`,
    );
    const spec = await loadSpec(file, { env: {} });
    expect(spec.scenarios[0]?.turns.map((t) => [t.say, t.pauseMs])).toEqual([
      ['bye', 1000],
      ['later', 1000],
    ]);
    expect(Object.keys(spec)).not.toContain('x-bye');
  });
});

describe('persona CSV files', () => {
  it('loads rows, trimming whitespace, and lets templates use the header names', async () => {
    tmp.write('people/personas.csv', 'firstName,dob\nMaria , 1980-01-01\n"Smith, Jo",1970-02-03\n');
    const file = tmp.write('s.yaml', MINIMAL.replace('scenarios:', 'personas:\n  from: people/personas.csv\n  segmentBy: firstName\nscenarios:').replace('say: hello', 'say: "hi {{persona.firstName}}"'));
    const spec = await loadSpec(file, { env: {} });
    expect(spec.personas.rows).toEqual([
      { firstName: 'Maria', dob: '1980-01-01' },
      { firstName: 'Smith, Jo', dob: '1970-02-03' },
    ]);
    expect(spec.personas.csvPath).toBe(path.join(tmp.dir, 'people', 'personas.csv'));
    expect(spec.personas.segmentBy).toBe('firstName');
  });

  it('reports a segmentBy that names no field', async () => {
    const file = tmp.write('s.yaml', MINIMAL.replace('scenarios:', 'personas:\n  fields: { insurance: [a] }\n  segmentBy: insurence\nscenarios:'));
    const result = await checkSpec(file, { env: {} });
    expect(result.problems.map((p) => `${p.position?.line}:${p.position?.col} ${p.message}`)).toEqual([
      '7:14 personas.segmentBy names "insurence", which is not a persona field; did you mean "insurance"?',
    ]);
  });
});

describe('hints', () => {
  it('tells to quote a template that YAML read as a mapping, or could not read', async () => {
    const corpus = path.join(import.meta.dirname, 'corpus');
    for (const file of ['unquoted-template.yaml', 'unquoted-template-mapping.yaml']) {
      const result = await checkSpec(file, { cwd: corpus, env: {} });
      expect(result.problems.map((p) => p.hint)).toEqual(['quote values that start with {{, e.g. say: "{{persona.firstName}} here" (YAML reads { as the start of a mapping)']);
    }
  });
});

describe('warnings', () => {
  it('warns, without failing, about settings that cannot take effect', async () => {
    const file = tmp.write(
      's.yaml',
      MINIMAL.replace('{ driver: sim }', '{ driver: sim, turnTimeout: 5s }').replace('say: hello', 'say: hello\n        expect: { within: 10s }\n    llm: { goal: x }'),
    );
    const result = await checkSpec(file, { env: {} });
    expect(result.spec).toBeDefined();
    expect(result.warnings.map((w) => `${w.position?.line}:${w.position?.col} ${w.message}`)).toEqual([
      '9:27 expect.within (10s) is longer than target.turnTimeout (5s); the turn times out first',
      '10:5 scenario "a": llm settings are ignored because the caller is scripted',
    ]);
  });
});

describe('versions', () => {
  it('migrates the current version as is', () => {
    expect(migrate({ version: 1, name: 'x' }, 1)).toEqual({ version: 1, name: 'x' });
  });

  it('names the newer version and the one this loadspec reads', async () => {
    const file = tmp.write('s.yaml', MINIMAL.replace('version: 1', 'version: 3'));
    const error = await loadSpec(file, { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadspecError);
    expect((error as LoadspecError).problems).toEqual([
      expect.objectContaining({ code: 'LOADSPEC_SPEC_VERSION', message: expect.stringMatching(/^this is a version 3 spec; loadspec \d+\.\d+\.\d+\S* reads version 1$/), position: { file, line: 1, col: 10 } }),
    ]);
  });
});

describe('loadSpec errors', () => {
  it('throws LOADSPEC_SPEC_INVALID listing every problem, each with its own code', async () => {
    const file = tmp.write('s.yaml', MINIMAL.replace('calls: 10', 'calls: ten').replace('say: hello', 'say: "{{persona.x}} ${NOPE_NOT_SET}"'));
    const error = (await loadSpec(file, { env: {} }).catch((e: unknown) => e)) as LoadspecError;
    expect(error).toBeInstanceOf(LoadspecError);
    expect(error.code).toBe('LOADSPEC_SPEC_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.problems.map((p) => p.code)).toEqual(['LOADSPEC_SPEC_INVALID', 'LOADSPEC_ENV_MISSING']);
  });

  it('says when the file does not exist', async () => {
    const error = (await loadSpec('nope.yaml', { cwd: tmp.dir }).catch((e: unknown) => e)) as LoadspecError;
    expect(error.code).toBe('LOADSPEC_FILE_NOT_FOUND');
    expect(error.message).toBe('spec file nope.yaml does not exist');
  });
});
