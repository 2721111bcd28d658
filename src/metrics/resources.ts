/**
 * loadspec's own resource use: CPU (process.cpuUsage over wall time, in percent of one
 * core, so several busy threads read above 100), RSS and the main thread's event-loop
 * lag p99. When loadspec's CPU nears the machine's capacity, its own timers run late and
 * measured times grow: the numbers may then understate how fast the target really is.
 */
import os from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

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

export class ResourceSampler implements ResourceSource {
  private readonly delay: IntervalHistogram;
  /** Never reset: an ELD histogram cannot be added into another one, so it keeps its own. */
  private readonly wholeRun: IntervalHistogram;
  private lastCpu: NodeJS.CpuUsage;
  private lastAtMs: number;
  private running = true;

  constructor(atMs: number = performance.timeOrigin + performance.now()) {
    // 10 ms resolution: fine enough to see a stalled loop, cheap enough to leave running.
    this.delay = monitorEventLoopDelay({ resolution: 10 });
    this.delay.enable();
    this.wholeRun = monitorEventLoopDelay({ resolution: 10 });
    this.wholeRun.enable();
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
    const loopLagP99Ms = this.delay.count > 0 ? this.delay.percentile(99) / 1e6 : 0;
    this.delay.reset();
    return { atMs, cpuPercent: (usedUs / wallUs) * 100, rssBytes: process.memoryUsage.rss(), loopLagP99Ms };
  }

  /** p99 event-loop lag over every sample taken so far, ms. */
  wholeRunLoopLagP99Ms(): number {
    return this.wholeRun.count > 0 ? this.wholeRun.percentile(99) / 1e6 : 0;
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.delay.disable();
    this.wholeRun.disable();
  }
}
