/** What the numbers were measured on: cores, CPU model, Node version, how busy it was. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export function loadAverage() {
  const [one, five, fifteen] = os.loadavg();
  return { one: round2(one), five: round2(five), fifteen: round2(fifteen), at: new Date().toISOString() };
}

export function machine() {
  return {
    nproc: os.availableParallelism(),
    cpuModel: cpuModel(),
    memTotalBytes: os.totalmem(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux: fall back to what Node knows
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function round2(v) {
  return Math.round(v * 100) / 100;
}
