/**
 * A user's reporter module whose awaited hook never settles must not hang the run: the
 * hook counts as failed after its time limit and the other reporters still finish.
 */
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/metrics/summary.js';
import { loadReporterModule } from '../../src/report/load-reporters.js';
import { ReporterMultiplexer } from '../../src/report/multiplexer.js';
import type { ReporterContext } from '../../src/report/builtin-reporters.js';
import { tempDir, type TempDir } from '../spec/fixtures.js';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function context(): ReporterContext {
  return { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: tmp.dir, live: 'quiet', liveIntervalMs: 10_000 };
}

describe('reporter module hooks', () => {
  it('an onEnd that never settles fails after the limit, and the other reporters still end', async () => {
    tmp.write('hangs.mjs', 'export default { name: "hangs", onEnd() { return new Promise(() => {}); } };\n');
    const hangs = await loadReporterModule('./hangs.mjs', context(), 50);
    const ended: string[] = [];
    const stderr = new PassThrough();
    let said = '';
    stderr.setEncoding('utf8').on('data', (text: string) => (said += text));
    const multiplexer = new ReporterMultiplexer([hangs, { name: 'writer', onEnd: async () => void ended.push('writer') }], { stderr });
    await multiplexer.onEnd({} as RunSummary);
    expect(ended).toEqual(['writer']);
    expect(said).toBe('loadspec: reporter "hangs" failed in onEnd: did not finish within 0.05s (the run goes on; later errors from it are not shown)\n');
  });

  it('a hook that settles in time passes its result through, and onCallEnd is not limited', async () => {
    tmp.write('quick.mjs', 'export const seen = []; export default { onBegin() { return new Promise((r) => setTimeout(() => r("begun"), 5)); }, onCallEnd(o) { seen.push(o); return new Promise(() => {}); } };\n');
    const quick = await loadReporterModule('./quick.mjs', context(), 1_000);
    await expect(quick.onBegin?.({} as never)).resolves.toBe('begun');
    const pending = quick.onCallEnd?.({} as never);
    const settled = await Promise.race([Promise.resolve(pending).then(() => 'settled'), new Promise((r) => setTimeout(() => r('still pending'), 100))]);
    expect(settled).toBe('still pending');
  });
});
