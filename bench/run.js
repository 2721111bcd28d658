/**
 * `npm run bench`: builds, then runs every benchmark suite in turn and writes
 * bench/results.json (machine-readable) and bench/RESULTS.md (regenerated from it).
 *
 *   npm run bench                          every suite (under 10 minutes)
 *   npm run bench -- --only pacing,cost    a subset; other suites keep their last results
 *   npm run bench -- --quick               small, fast versions; prints, writes nothing
 *   npm run bench -- --only hot --filter arrivals   hot-path tasks whose name contains it
 *
 * Suites: startup, pacing, accuracy, cost, throughput, scale, hot. Every loop is bounded;
 * all traffic stays on 127.0.0.1.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/loadspec.js';
import { loadAverage, machine } from './lib/machine.js';
import { renderResultsMarkdown } from './lib/markdown.js';
import { startTarget } from './lib/target.js';
import { evaluateTargets } from './lib/targets.js';
import { accuracySuite } from './suites/accuracy.js';
import { costSuite } from './suites/cost.js';
import { hotSuite } from './suites/hot.js';
import { pacingSuite } from './suites/pacing.js';
import { scaleSuite } from './suites/scale.js';
import { startupSuite } from './suites/startup.js';
import { throughputSuite } from './suites/throughput.js';

const RESULTS_JSON = path.join(ROOT, 'bench', 'results.json');
const RESULTS_MD = path.join(ROOT, 'bench', 'RESULTS.md');
const RESULTS_VERSION = 1;

/** In run order: the timing-sensitive suites first, the in-process hot paths last. */
const SUITES = [
  { name: 'startup', run: startupSuite, target: true },
  { name: 'pacing', run: pacingSuite, target: true },
  { name: 'accuracy', run: accuracySuite, target: true },
  { name: 'cost', run: costSuite, target: true },
  { name: 'throughput', run: throughputSuite },
  { name: 'scale', run: scaleSuite },
  { name: 'hot', run: hotSuite },
];

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    filter: { type: 'string' },
    write: { type: 'boolean' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  process.stdout.write(readFileSync(new URL(import.meta.url)).toString().split('*/')[0].replace(/^\/\*\*\n/, '').replace(/^ \* ?/gm, '') + '\n');
  process.exit(0);
}

const only = args.only ? args.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
const unknown = (only ?? []).filter((name) => !SUITES.some((s) => s.name === name));
if (unknown.length > 0) {
  process.stderr.write(`unknown suite(s): ${unknown.join(', ')}; suites: ${SUITES.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}
if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
  process.stderr.write('dist/ is missing: run `npm run build` first (npm run bench does)\n');
  process.exit(2);
}

const selected = SUITES.filter((s) => !only || only.includes(s.name));
const write = args.write ?? !args.quick;
const log = (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const startedAt = new Date();
const loadStart = loadAverage();
log(`load average at start: ${loadStart.one} ${loadStart.five} ${loadStart.fifteen}`);
const needsTarget = selected.some((s) => s.target);
const target = needsTarget ? await startTarget() : undefined;
const fresh = {};
let failures = 0;
try {
  for (const suite of selected) {
    const suiteStart = performance.now();
    const suiteStartedAt = new Date().toISOString();
    const before = loadAverage();
    log(`suite ${suite.name}`);
    let result;
    let error;
    try {
      result = await suite.run({ quick: args.quick, filter: args.filter, target, log: (m) => log(`  ${m}`) });
    } catch (e) {
      failures++;
      error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      log(`suite ${suite.name} failed: ${error}`);
    }
    fresh[suite.name] = {
      ranAt: suiteStartedAt,
      quick: args.quick,
      durationS: Math.round(performance.now() - suiteStart) / 1000,
      loadAverage: { start: before, end: loadAverage() },
      ...(error ? { error } : { result }),
    };
  }
} finally {
  await target?.stop();
}
const loadEnd = loadAverage();
log(`load average at end: ${loadEnd.one} ${loadEnd.five} ${loadEnd.fifteen}`);

const previous = write && existsSync(RESULTS_JSON) ? JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) : undefined;
const suites = { ...(previous?.resultsVersion === RESULTS_VERSION ? previous.suites : {}), ...fresh };
const results = {
  resultsVersion: RESULTS_VERSION,
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine: machine(),
  lastRun: {
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    suites: selected.map((s) => s.name),
    loadAverage: { start: loadStart, end: loadEnd },
  },
  // The last run of every suite together: what RESULTS.md is written from.
  fullRun: !only && !args.quick ? { startedAt: startedAt.toISOString(), durationS: Math.round((Date.now() - startedAt.getTime()) / 100) / 10, loadAverage: { start: loadStart, end: loadEnd } } : (previous?.fullRun ?? null),
  targets: evaluateTargets(suites),
  suites,
};

for (const t of results.targets) {
  const verdict = t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED';
  log(`${t.title}: ${t.measured ?? '-'} ${t.unit} (target ${t.better === 'higher' ? '>=' : '<='} ${t.limit}) ${verdict}${t.quick ? ' [quick]' : ''}`);
}
if (write) {
  writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(RESULTS_MD, renderResultsMarkdown(results));
  log(`wrote ${path.relative(process.cwd(), RESULTS_JSON)} and ${path.relative(process.cwd(), RESULTS_MD)}`);
} else {
  process.stdout.write(`${JSON.stringify({ targets: results.targets, suites: fresh }, null, 2)}\n`);
}
process.exitCode = failures > 0 ? 1 : 0;
