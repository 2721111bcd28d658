/**
 * Runs the real CLI as a child process without blocking this process: the OpenAI test
 * server the CLI talks to lives here, so a synchronous spawn would deadlock it.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `env` is the child's whole environment (plus PATH), so nothing leaks in from the test's. */
export function runLoadspec(args: readonly string[], options: { cwd: string; env: Record<string, string> }): Promise<CliResult> {
  const env = { PATH: process.env['PATH'] ?? '', HOME: options.cwd, ...options.env };
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/loadspec.js'), ...args], { cwd: options.cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
