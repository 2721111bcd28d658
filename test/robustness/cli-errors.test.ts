/**
 * A user's mistakes and a hostile environment, through the real CLI (bin/loadspec.js →
 * dist/) on temp fixtures: each must end in one line naming the cause, with a hint and the
 * documented exit code, never a stack trace.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINIMAL, tempDir, type TempDir } from '../spec/fixtures.js';

const BIN = path.join(import.meta.dirname, '..', '..', 'bin', 'loadspec.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function loadspec(args: string[], cwd: string, options: { asNobody?: boolean } = {}): Promise<Result> {
  // Root reads every file, so "permission denied" needs an unprivileged user.
  const [command, argv] = options.asNobody
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  return new Promise((resolve) => {
    execFile(command, argv as string[], { cwd, env: { PATH: process.env.PATH }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** One problem line, no stack frames. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines.some((line) => pattern.test(line)), stderr).toBe(true);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/internal error/);
}

const canDropPrivileges = process.getuid?.() === 0 && hasSetpriv();
function hasSetpriv(): boolean {
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('results folder that cannot be written', { timeout: 90_000 }, () => {
  it('--out naming a file: one line, exit 3, nothing placed', async () => {
    tmp.write('s.yaml', MINIMAL);
    tmp.write('taken', 'not a folder');
    const result = await loadspec(['run', 's.yaml', '--out', 'taken', '--live', 'off'], tmp.dir);
    expect(result.code).toBe(3);
    expectOneLine(result.stderr, /^cannot write results: .*taken is already taken by a file {2}\(choose an --out directory/);
    expect(readFileSync(path.join(tmp.dir, 'taken'), 'utf8')).toBe('not a folder');
  });

  it('--out under a file: one line, exit 3', async () => {
    tmp.write('s.yaml', MINIMAL);
    tmp.write('taken', 'x');
    const result = await loadspec(['run', 's.yaml', '--out', 'taken/results', '--live', 'off'], tmp.dir);
    expect(result.code).toBe(3);
    expectOneLine(result.stderr, /taken\/results is under a file, not a folder/);
  });

  it.runIf(canDropPrivileges)('--out in a folder the user may not write: permission denied, exit 3', async () => {
    tmp.write('s.yaml', MINIMAL);
    mkdirSync(path.join(tmp.dir, 'locked'));
    chmodSync(path.join(tmp.dir, 'locked'), 0o555);
    chmodSync(tmp.dir, 0o755);
    const result = await loadspec(['run', path.join(tmp.dir, 's.yaml'), '--out', path.join(tmp.dir, 'locked', 'r'), '--live', 'off'], tmp.dir, { asNobody: true });
    expect(result.code).toBe(3);
    expectOneLine(result.stderr, /locked\/r cannot be accessed: permission denied/);
  });
});

// `validate` lists problems on stdout, the report a pull request reads.
describe('files that exist but cannot be read', { timeout: 60_000 }, () => {
  it.runIf(canDropPrivileges)('an unreadable spec says permission denied, not "does not exist"', async () => {
    const file = tmp.write('s.yaml', MINIMAL);
    chmodSync(file, 0o000);
    chmodSync(tmp.dir, 0o755);
    const result = await loadspec(['validate', file], tmp.dir, { asNobody: true });
    expect(result.code).toBe(2);
    expectOneLine(result.stdout, /spec file s\.yaml cannot be accessed: permission denied/);
  });

  it('a pattern the shell matched to nothing is named as a pattern', async () => {
    const result = await loadspec(['validate', 'specs/*.yaml'], tmp.dir);
    expect(result.code).toBe(2);
    expectOneLine(result.stdout, /^no file matches specs\/\*\.yaml {2}\(the shell found no file for the pattern/);
  });

  it('a persona file that is a folder says so', async () => {
    tmp.write('s.yaml', MINIMAL.replace('scenarios:', 'personas:\n  from: people\nscenarios:'));
    mkdirSync(path.join(tmp.dir, 'people'));
    const result = await loadspec(['validate', 's.yaml'], tmp.dir);
    expect(result.code).toBe(2);
    expectOneLine(result.stdout, /persona file people is a folder, not a file/);
  });
});

describe('flags', { timeout: 60_000 }, () => {
  it('a value starting with a dash is one line naming the flag', async () => {
    tmp.write('s.yaml', MINIMAL);
    const result = await loadspec(['run', 's.yaml', '--calls', '-3'], tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'loadspec run: --calls is followed by a value that starts with a dash; write --calls=VALUE if that is its value  (run `loadspec run --help` for its flags)',
    ]);
  });

  it('--threads beyond the schema limit is refused before any thread starts', async () => {
    tmp.write('s.yaml', MINIMAL);
    const result = await loadspec(['run', 's.yaml', '--threads', '100000', '--out', 'r'], tmp.dir);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^--threads must be at most 256, not 100000/);
    expect(existsSync(path.join(tmp.dir, 'r'))).toBe(false);
  });

  it.each(['--interval', '--live-interval'])('%s below 100ms is refused (each interval is a point of the series)', async (flag) => {
    tmp.write('s.yaml', MINIMAL);
    const result = await loadspec(['run', 's.yaml', flag, '1ms', '--out', 'r'], tmp.dir);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, new RegExp(`^${flag} must be at least 100ms, not 1ms`));
    expect(existsSync(path.join(tmp.dir, 'r'))).toBe(false);
  });

  it('--seed beyond the schema limit is refused', async () => {
    tmp.write('s.yaml', MINIMAL);
    const result = await loadspec(['plan', 's.yaml', '--seed', '99999999999'], tmp.dir);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^--seed must be at most 4294967295/);
  });
});

/** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a target nobody answers', { timeout: 90_000 }, () => {
  it('exits 3 with LOADSPEC_TARGET_UNREACHABLE, even without thresholds, and keeps the calls', async () => {
    const port = await closedPort();
    tmp.write('s.yaml', `version: 1
name: down
target:
  driver: http
  url: http://127.0.0.1:${port}
  start: { method: POST, path: /calls, callId: /callId }
  turn: { method: POST, path: "/calls/{{callId}}/turns", body: { text: "{{text}}" }, reply: /text }
load:
  calls: 2
  pacing: 20/s
  retries: { attempts: 1 }
scenarios:
  - name: a
    turns:
      - say: hello
`);
    const result = await loadspec(['run', 's.yaml', '--out', 'r', '--live', 'off'], tmp.dir);
    expect(result.code, result.stderr).toBe(3);
    expectOneLine(result.stderr, new RegExp(`^LOADSPEC_TARGET_UNREACHABLE: no call reached http://127\\.0\\.0\\.1:${port}: all 2 ended connect_refused {2}\\(start the receptionist`));
    const lines = readFileSync(path.join(tmp.dir, 'r', 'calls.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
  });
});

describe('Ctrl-C', { timeout: 90_000 }, () => {
  it('ends with one LOADSPEC_INTERRUPTED line naming where the calls are, and exits 130', async () => {
    tmp.write('s.yaml', MINIMAL.replace('load: { calls: 10, pacing: 5/s }', 'load: { calls: 100, pacing: 2/s }'));
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'run', 's.yaml', '--out', 'r', '--live', 'off', '--threads', '1'], { cwd: tmp.dir, env: { PATH: process.env.PATH } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // run.json is written once the run has started (and the signal handlers are in place).
    const deadline = Date.now() + 30_000;
    while (!existsSync(path.join(tmp.dir, 'r', 'run.json')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expectOneLine(stderr, /^LOADSPEC_INTERRUPTED: the run was interrupted; \d+ calls? written to .*r {2}\(the results written before the interrupt are kept\)$/);
  });
});

describe('loadspec demo', { timeout: 60_000 }, () => {
  it('a port already taken says so with a hint that is not "run loadspec demo"', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const result = await loadspec(['demo', '--port', String(port)], tmp.dir);
      expect(result.code).toBe(3);
      expect(result.stderr.trim().split('\n')).toEqual([
        `the demo receptionist could not listen on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}  (another process has that port; choose another --port, or --port 0 for a free one)`,
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
