/**
 * The results writer: a reporter that appends each call's outcome to `<out>/calls.jsonl`
 * as the call ends, and writes `<out>/run.json` (what `loadspec report` needs to re-render
 * the folder) when the run begins.
 *
 * Durability choice: outcomes are batched per event-loop turn and written with one
 * `fs.writeSync` each turn. Once writeSync returns the bytes are in the kernel, so a crash
 * of loadspec (or a second Ctrl-C, which calls `flushSync`) loses only calls still in
 * flight, and one syscall per turn stays cheap at thousands of calls/s. A write stream
 * would buffer in user space, where a crash loses it. fsync (which only matters if the
 * machine itself dies) runs asynchronously, once a second, off the main thread's path.
 */
import { closeSync, fsync, fsyncSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../cli/version.js';
import type { RunSummary } from '../metrics/summary.js';
import type { Reporter, RunInfo } from '../report/reporter.js';
import { isSecretPath } from '../spec/secrets.js';
import type { SpecPath } from '../spec/source.js';
import type { CallOutcome } from './types.js';

export const CALLS_FILE = 'calls.jsonl';
export const RUN_FILE = 'run.json';
export const RUN_FILE_VERSION = 1;

const FSYNC_EVERY_MS = 1_000;

/** What run.json holds. */
export interface RunFile {
  readonly runFileVersion: typeof RUN_FILE_VERSION;
  readonly loadspecVersion: string;
  readonly runId: string;
  readonly specPath: string;
  readonly startedAt: string;
  readonly startedAtMs: number;
  readonly intervalMs: number;
  readonly threads: number;
  readonly shard?: RunInfo['shard'];
  readonly settings: Readonly<Record<string, unknown>>;
  /** The resolved spec after overrides, secrets replaced by `(secret)`. */
  readonly spec: unknown;
  /** Filled in when the run ends. */
  readonly endedAt?: string;
  readonly abortReason?: string;
}

export class ResultsWriter implements Reporter {
  readonly name = 'results';
  private fd: number | undefined;
  private pending: string[] = [];
  private flushScheduled = false;
  private fsyncTimer: NodeJS.Timeout | undefined;
  private dirty = false;
  private runFile: RunFile | undefined;
  private written = 0;

  constructor(private readonly outDir: string) {}

  get callsPath(): string {
    return path.join(this.outDir, CALLS_FILE);
  }

  /** Outcomes written to calls.jsonl so far. */
  get count(): number {
    return this.written + this.pending.length;
  }

  onBegin(info: RunInfo): void {
    mkdirSync(this.outDir, { recursive: true });
    this.runFile = {
      runFileVersion: RUN_FILE_VERSION,
      loadspecVersion: VERSION,
      runId: info.runId,
      specPath: info.spec.sourcePath,
      startedAt: new Date(info.startedAtMs).toISOString(),
      startedAtMs: info.startedAtMs,
      intervalMs: info.intervalMs,
      threads: info.threads,
      ...(info.shard ? { shard: info.shard } : {}),
      settings: info.settings,
      spec: redactSecrets(info.spec, []),
    };
    writeFileSync(path.join(this.outDir, RUN_FILE), `${JSON.stringify(this.runFile, null, 2)}\n`);
    // 'a': appending never truncates what an earlier crash of this same run left behind.
    this.fd = openSync(this.callsPath, 'a');
    this.fsyncTimer = setInterval(() => this.syncSoon(), FSYNC_EVERY_MS);
    this.fsyncTimer.unref();
  }

  onCallEnd(outcome: CallOutcome): void {
    this.pending.push(JSON.stringify(outcome));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushSync());
    }
  }

  /** Writes every pending line now. Safe to call at any time, also from a signal handler. */
  flushSync(): void {
    this.flushScheduled = false;
    if (this.fd === undefined || this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    const data = Buffer.from(`${lines.join('\n')}\n`);
    let offset = 0;
    while (offset < data.length) offset += writeSync(this.fd, data, offset);
    this.written += lines.length;
    this.dirty = true;
  }

  onEnd(summary: RunSummary): void {
    this.flushSync();
    if (this.runFile) {
      this.runFile = {
        ...this.runFile,
        endedAt: summary.run.endedAt,
        ...(summary.run.abortReason === undefined ? {} : { abortReason: summary.run.abortReason }),
      };
      writeFileSync(path.join(this.outDir, RUN_FILE), `${JSON.stringify(this.runFile, null, 2)}\n`);
    }
  }

  onExit(): void {
    this.close();
  }

  /** Flushes, syncs to disk and closes calls.jsonl. */
  close(): void {
    this.flushSync();
    if (this.fsyncTimer) clearInterval(this.fsyncTimer);
    this.fsyncTimer = undefined;
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private syncSoon(): void {
    if (this.fd === undefined || !this.dirty) return;
    this.dirty = false;
    fsync(this.fd, () => undefined);
  }
}

/** A copy of `value` with every secret spec field (spec/secrets.ts) replaced. */
export function redactSecrets(value: unknown, at: SpecPath): unknown {
  if (at.length > 0 && value !== undefined && isSecretPath(at)) return '(secret)';
  if (Array.isArray(value)) return value.map((item, i) => redactSecrets(item, [...at, i]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactSecrets(item, [...at, key]);
    return out;
  }
  return value;
}
