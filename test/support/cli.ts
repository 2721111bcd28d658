/** Runs the real CLI (bin/loadspec.js, compiled dist/) in a child process with a bare environment. */
import { execFile } from 'node:child_process';
import path from 'node:path';

export const BIN = path.join(import.meta.dirname, '..', '..', 'bin', 'loadspec.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function loadspec(args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
