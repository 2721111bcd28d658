/**
 * Scale: 10,000 concurrent sim calls of 60 s each (three turns of 20 s), arriving at the
 * 1000/s cap, through the real CLI with `--live json`. Reports peak RSS, the bytes each
 * active call costs ((peak RSS − RSS when the first call started) / peak active), and
 * whether the live view kept coming every second while all of them were open.
 */
import { forEachOutcome, processFigures, runLoadspec } from '../lib/loadspec.js';
import { removeDir, scratchDir, simSpecYaml, writeSpec } from '../lib/specs.js';
import { quantile, round } from '../lib/stats.js';

export async function scaleSuite(ctx) {
  const calls = ctx.quick ? 2_000 : 10_000;
  const turnMs = ctx.quick ? 2_000 : 20_000;
  ctx.log(`scale: ${calls} concurrent sim calls of ${(3 * turnMs) / 1000}s`);
  const dir = scratchDir('scale');
  try {
    const spec = writeSpec(dir, 'scale.yaml', simSpecYaml({ latencyMs: turnMs, calls, concurrency: calls, pacing: '1000/s', turns: 3, turnTimeout: '2m' }));
    const r = await runLoadspec({ spec, out: `${dir}/out`, live: 'json', timeoutMs: 4 * 60_000 }).done;
    let firstStart = Infinity;
    let completed = 0;
    let passed = 0;
    await forEachOutcome(`${dir}/out`, (c) => {
      if (c.startedAtMs !== undefined) firstStart = Math.min(firstStart, c.startedAtMs);
      if (c.status !== 'dropped') completed++;
      if (c.status === 'passed') passed++;
    });
    const before = r.samples.filter((s) => s.atMs <= firstStart).at(-1) ?? r.samples[0];
    const peakSampledRss = Math.max(...r.samples.map((s) => s.rssBytes));
    const peakActive = r.end?.calls?.peakActive ?? Math.max(0, ...r.intervals.map((i) => i.peakActive ?? 0));
    const gapsMs = [];
    for (let i = 1; i < r.intervals.length; i++) gapsMs.push(r.intervals[i].receivedAtMs - r.intervals[i - 1].receivedAtMs);
    const whileFull = r.intervals.filter((i) => i.active >= 0.9 * calls);
    return {
      calls,
      callLengthS: (3 * turnMs) / 1000,
      completed,
      passed,
      peakActive,
      ...processFigures(r, { threads: true }),
      rssWhenFirstCallStartedMiB: before ? round(before.rssBytes / 2 ** 20, 1) : null,
      peakSampledRssMiB: round(peakSampledRss / 2 ** 20, 1),
      bytesPerActiveCall: before && peakActive > 0 ? Math.round((r.maxRssBytes - before.rssBytes) / peakActive) : null,
      live: {
        intervalLines: r.intervals.length,
        gapMs: gapsMs.length ? { p50: round(quantile(gapsMs, 0.5), 1), p99: round(quantile(gapsMs, 0.99), 1), max: round(Math.max(...gapsMs), 1) } : null,
        linesWhileAtLeast90PercentActive: whileFull.length,
        loopLagP99MsMax: round(Math.max(0, ...r.intervals.map((i) => i.loopLagP99Ms ?? 0)), 1),
      },
    };
  } finally {
    removeDir(dir);
  }
}
