import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LoadspecError } from '../../src/errors.js';
import { createReporters, resolveLiveMode } from '../../src/report/load-reporters.js';
import { ReporterMultiplexer } from '../../src/report/multiplexer.js';
import type { LiveSnapshot, Reporter } from '../../src/report/reporter.js';
import type { CliIO } from '../../src/cli/io.js';

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

function io(o: { tty?: boolean; cwd?: string } = {}): CliIO & { out: () => string; err: () => string } {
  const out = sink();
  const err = sink();
  Object.assign(out.stream, { isTTY: o.tty ?? false, columns: 100 });
  return { stdout: out.stream, stderr: err.stream, env: {}, cwd: o.cwd ?? process.cwd(), out: out.text, err: err.text };
}

const snapshot = { elapsedMs: 1000 } as LiveSnapshot;

describe('ReporterMultiplexer', () => {
  it('keeps calling the other reporters when one throws or rejects, and reports each failing one once', async () => {
    const err = sink();
    const seen: string[] = [];
    const good: Reporter = { name: 'good', onInterval: () => void seen.push('good'), onEnd: async () => void seen.push('good-end') };
    const throwing: Reporter = {
      name: 'thrower',
      onInterval: () => {
        throw new Error('boom');
      },
    };
    const rejecting: Reporter = { name: 'rejecter', onInterval: async () => Promise.reject(new Error('later boom')), onEnd: async () => Promise.reject(new Error('again')) };
    const after: Reporter = { name: 'after', onInterval: () => void seen.push('after') };
    const mux = new ReporterMultiplexer([throwing, good, rejecting, after], { stderr: err.stream });
    await mux.onInterval(snapshot);
    await mux.onInterval(snapshot);
    await mux.onEnd({} as never);
    expect(seen).toEqual(['good', 'after', 'good', 'after', 'good-end']);
    const lines = err.text().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('reporter "thrower" failed in onInterval: boom');
    expect(lines[1]).toContain('reporter "rejecter" failed in onInterval: later boom');
    expect(mux.failedReporters).toEqual(['thrower', 'rejecter']);
  });

  it('skips hooks a reporter does not have', async () => {
    const mux = new ReporterMultiplexer([{ name: 'empty' }], { stderr: sink().stream });
    await expect(mux.onBegin({} as never)).resolves.toBeUndefined();
    await expect(mux.onExit()).resolves.toBeUndefined();
  });
});

describe('createReporters', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loadspec-reporters-'));
  const write = (name: string, body: string): string => {
    writeFileSync(path.join(dir, name), body);
    return `./${name}`;
  };

  it('always builds the live view once, in the mode --live asks for', async () => {
    const reporters = await createReporters({ names: ['live', 'live'], live: 'off', liveIntervalMs: 0, io: io() });
    expect(reporters.map((r) => r.name)).toEqual(['live']);
    expect(resolveLiveMode('auto', { stdout: Object.assign(new PassThrough(), { isTTY: true }), env: {} })).toBe('tty');
    expect(resolveLiveMode('auto', { stdout: Object.assign(new PassThrough(), { isTTY: true }), env: { TERM: 'dumb' } })).toBe('lines');
    expect(resolveLiveMode('auto', { stdout: new PassThrough(), env: {} })).toBe('lines');
    expect(resolveLiveMode('off', { stdout: new PassThrough(), env: {} })).toBe('quiet');
  });

  it('loads a user module whose default export is a reporter, a factory or a class', async () => {
    const object = write('object.mjs', `const seen = []; export default { name: 'mine', onEnd(s) { seen.push(s); globalThis.__objectSeen = seen; } };`);
    const factory = write('factory.mjs', `export default (ctx) => ({ name: 'made', onInterval() { ctx.stdout.write('tick\\n'); } });`);
    const klass = write('klass.mjs', `export default class { constructor(ctx) { this.ctx = ctx; } onBegin() { this.ctx.stdout.write('began\\n'); } };`);
    const cli = io({ cwd: dir });
    const reporters = await createReporters({ names: [object, factory, klass], live: 'json', liveIntervalMs: 10_000, io: cli });
    expect(reporters.map((r) => r.name)).toEqual(['live', 'mine', 'made', klass]);
    const mux = new ReporterMultiplexer(reporters, { stderr: cli.stderr });
    await mux.onBegin({ spec: { name: 'x' } } as never);
    await mux.onInterval(snapshot);
    expect(cli.out()).toContain('began\n');
    expect(cli.out()).toContain('tick\n');
    expect(cli.err()).toBe('');
  });

  it('rejects unknown names and modules that are not reporters with LOADSPEC_REPORTER_INVALID', async () => {
    const cases = [
      ['nope', /unknown reporter "nope"; built-in reporters: live/],
      ['./missing.mjs', /not found/],
      [write('number.mjs', 'export default 42;'), /default export is number/],
      [write('nohooks.mjs', 'export default { name: "x" };'), /none of the reporter hooks/],
      [write('badhook.mjs', 'export default { onEnd: "yes" };'), /onEnd is not a function/],
      [write('syntax.mjs', 'export default {'), /failed to load/],
      [write('throws.mjs', 'export default () => { throw new Error("no config"); };'), /factory threw: no config/],
    ] as const;
    for (const [name, message] of cases) {
      const error = await createReporters({ names: [name], live: 'off', liveIntervalMs: 0, io: io({ cwd: dir }) }).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(LoadspecError);
      expect((error as LoadspecError).code).toBe('LOADSPEC_REPORTER_INVALID');
      expect((error as LoadspecError).message).toMatch(message);
    }
  });
});
