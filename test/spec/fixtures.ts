/** Temp spec files for tests: write, load, clean up. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const MINIMAL = `version: 1
name: t
target: { driver: sim }
load: { calls: 10, pacing: 5/s }
scenarios:
  - name: a
    turns:
      - say: hello
`;

export interface TempDir {
  readonly dir: string;
  write(name: string, text: string): string;
  cleanup(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), 'loadspec-spec-'));
  return {
    dir,
    write(name, text) {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
