/**
 * `loadspec run` with one difference: the arrival rate is lifted past the spec's 1000/s cap,
 * so every call is due within a fraction of a second and the engine, not the pacing, sets
 * the pace. Everything else is the CLI's path: the same loader, reporters (the spec's report
 * formats, live view off), engine, pool and results writer, from dist/.
 *
 *   node bench/lib/burst-run.js <spec.yaml> <outDir> <ratePerSec>
 */
import path from 'node:path';
import { loadSpec } from '../../dist/spec/load.js';
import { createReporters } from '../../dist/report/load-reporters.js';
import { BUILTIN_REPORTERS } from '../../dist/report/builtin-reporters.js';
import { startRun } from '../../dist/run/engine.js';

const [specFile, out, rate] = process.argv.slice(2);
if (!specFile || !out || !rate) {
  process.stderr.write('usage: node bench/lib/burst-run.js <spec.yaml> <outDir> <ratePerSec>\n');
  process.exit(2);
}
const cwd = path.dirname(path.resolve(specFile));
const loaded = await loadSpec(specFile, { env: process.env, cwd });
const ratePerSec = Number(rate);
const phase = { durationMs: Math.ceil((loaded.load.calls / ratePerSec) * 1000), ratePerSec, rampToPerSec: ratePerSec, name: 'burst' };
const spec = { ...loaded, load: { ...loaded.load, phases: [phase] } };
const io = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd };
const reporters = await createReporters({
  names: spec.report.formats.filter((f) => Object.hasOwn(BUILTIN_REPORTERS, f)),
  live: 'off',
  liveIntervalMs: 10_000,
  io,
});
const result = await startRun(spec, { cwd, out, reporters, settings: { pacing: `${ratePerSec}/s (bench burst)` }, stderr: process.stderr }).result;
process.exitCode = result.exitCode;
