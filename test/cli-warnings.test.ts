import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

async function specWithWarning(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'loadspec-warn-'));
  const smoke = await readFile(path.join(root, 'specs', 'smoke.yaml'), 'utf8');
  const text = smoke.replace('      - say: "Tuesday morning works."', '      - say: "Tuesday morning works."\n        expect: { within: 1m }');
  expect(text).not.toBe(smoke);
  const file = path.join(dir, 'warn.yaml');
  await writeFile(file, text);
  return file;
}

describe('spec warnings on run and plan', () => {
  it('plan prints the warning with its position on stderr and still exits 0', async () => {
    const file = await specWithWarning();
    const { stdout, stderr } = await run(process.execPath, ['bin/loadspec.js', 'plan', file], { cwd: root });
    expect(stderr).toMatch(/warn\.yaml:30:27 {2}warning: expect\.within \(1m\) is longer than target\.turnTimeout \(30s\)/);
    expect(stdout).toContain('scheduling');
  });

  it('run prints it before placing calls', async () => {
    const file = await specWithWarning();
    const out = path.join(path.dirname(file), 'out');
    const { stderr } = await run(process.execPath, ['bin/loadspec.js', 'run', file, '--calls', '3', '--live', 'off', '--out', out], { cwd: root });
    expect(stderr).toContain('warning: expect.within (1m)');
    const lines = (await readFile(path.join(out, 'calls.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);
  });

  it('a usage mistake names the command and its usage', async () => {
    const error = await run(process.execPath, ['bin/loadspec.js', 'plan'], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain('loadspec plan: name one spec file  (usage: loadspec plan <spec>');
  });
});
