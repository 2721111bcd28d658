/**
 * loadspec's own resource use: CPU (process.cpuUsage over wall time, in percent of one
 * core, so several busy threads read above 100), RSS and the main thread's event-loop
 * lag p99. When loadspec's CPU nears the machine's capacity, its own timers run late and
 * measured times grow: the numbers may then understate how fast the target really is.
 */
import os from 'node:os';
import { addHistogram, newHistogram, type Histogram } from './histogram.js';

/** Saturated above this share of every available core's worth of CPU. */
export const SATURATION_SHARE = 0.8;

export interface ResourceSample {
  readonly atMs: number;
  readonly cpuPercent: number;
  readonly rssBytes: number;
  readonly loopLagP99Ms: number;
}

export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** CPU percent (of one core) above which loadspec counts as saturated on this machine. */
export function saturationCpuPercent(cores: number = availableCores()): number {
  return SATURATION_SHARE * 100 * cores;
}

/** What RunMetrics needs of a sampler. */
export interface ResourceSource {
  sample(atMs: number): ResourceSample;
  wholeRunLoopLagP99Ms(): number;
  stop(): void;
}

/** How often the lag probe ticks: fine enough to see a stalled loop, cheap enough to leave running. */
const PROBE_MS = 10;

export class ResourceSampler implements ResourceSource {
  // Our own probe rather than perf_hooks.monitorEventLoopDelay: resetting that histogram
  // drops the first delay after the reset, so a stall right after a sample went unseen.
  private readonly probe: NodeJS.Timeout;
  private interval: Histogram = newHistogram();
  private readonly wholeRun: Histogram = newHistogram();
  private lastTickMs = performance.now();
  private lastCpu: NodeJS.CpuUsage;
  private lastAtMs: number;

  constructor(atMs: number = performance.timeOrigin + performance.now()) {
    this.probe = setInterval(() => {
      const now = performance.now();
      // Whole microseconds of lateness past the probe's own period.
      this.interval.recordValue(Math.max(0, Math.round((now - this.lastTickMs - PROBE_MS) * 1000)));
      this.lastTickMs = now;
    }, PROBE_MS);
    this.probe.unref();
    this.lastCpu = process.cpuUsage();
    this.lastAtMs = atMs;
  }

  /** Use since the previous sample (or since the sampler started). */
  sample(atMs: number): ResourceSample {
    const cpu = process.cpuUsage();
    const wallUs = Math.max(1, (atMs - this.lastAtMs) * 1000);
    const usedUs = cpu.user - this.lastCpu.user + (cpu.system - this.lastCpu.system);
    this.lastCpu = cpu;
    this.lastAtMs = atMs;
    // A stall still in progress (the probe has not run since) counts too.
    const pendingUs = Math.max(0, Math.round((performance.now() - this.lastTickMs - PROBE_MS) * 1000));
    if (pendingUs > 0) this.interval.recordValue(pendingUs);
    const loopLagP99Ms = this.interval.totalCount > 0 ? this.interval.getValueAtPercentile(99) / 1000 : 0;
    addHistogram(this.wholeRun, this.interval);
    this.interval = newHistogram();
    return { atMs, cpuPercent: (usedUs / wallUs) * 100, rssBytes: process.memoryUsage.rss(), loopLagP99Ms };
  }

  /** p99 event-loop lag over every sample taken so far, ms. */
  wholeRunLoopLagP99Ms(): number {
    return this.wholeRun.totalCount > 0 ? this.wholeRun.getValueAtPercentile(99) / 1000 : 0;
  }

  stop(): void {
    clearInterval(this.probe);
  }
}
