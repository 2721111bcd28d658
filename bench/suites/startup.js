/**
 * Time to the first call: from spawning `node bin/loadspec.js run` to the first call's
 * start request reaching the bench target (both clocks are this machine's epoch clock).
 * It covers Node's start, loading the CLI and the spec, starting the worker threads and
 * the first HTTP request. Several one-call runs; the median is the figure. To see where
 * the time goes, the same number of runs of bare `node -e ''`, `loadspec --version` (the
 * CLI's modules loaded) and `loadspec validate` (the spec loaded and checked too).
 */
import { BIN, runLoadspec } from '../lib/loadspec.js';
import { spawnMeasured } from '../lib/proc.js';
import { httpSpecYaml, removeDir, scratchDir, writeSpec } from '../lib/specs.js';
import { median, round } from '../lib/stats.js';

export async function startupSuite(ctx) {
  const runs = ctx.quick ? 2 : 7;
  ctx.log(`startup: ${runs} one-call runs`);
  const dir = scratchDir('startup');
  try {
    await ctx.target.configure({ turnDelayMs: 0 });
    const spec = writeSpec(dir, 'startup.yaml', httpSpecYaml({ url: ctx.target.url, calls: 1, concurrency: 1, pacing: '1/s', turns: 1 }));
    const firstCallMs = [];
    const wallS = [];
    for (let i = 0; i < runs; i++) {
      await ctx.target.configure({ turnDelayMs: 0 });
      const r = await runLoadspec({ spec, out: `${dir}/out-${i}` }).done;
      const { arrivals } = await ctx.target.stats();
      if (arrivals.length > 0) firstCallMs.push(arrivals[0] - r.spawnAtMs);
      wallS.push(r.wallS);
    }
    // Where the time goes: bare Node, then loading the CLI's modules, then also the spec.
    const phases = {};
    for (const [name, argv] of [
      ['nodeBare', [process.execPath, '-e', '']],
      ['loadspecVersion', [process.execPath, BIN, '--version']],
      ['loadspecValidate', [process.execPath, BIN, 'validate', spec]],
    ]) {
      const walls = [];
      for (let i = 0; i < runs; i++) walls.push((await spawnMeasured(argv, { cwd: dir }).done).wallS * 1000);
      phases[name] = round(median(walls), 1);
    }
    return {
      runs,
      wholeProcessMedianMs: phases,
      firstCallAfterSpawnMs: { median: round(median(firstCallMs), 1), min: round(Math.min(...firstCallMs), 1), max: round(Math.max(...firstCallMs), 1), all: firstCallMs.map((v) => round(v, 1)) },
      wholeOneCallRunS: { median: round(median(wallS), 3) },
    };
  } finally {
    removeDir(dir);
  }
}
