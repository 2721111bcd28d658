/**
 * Settings of the demo receptionist, with the defaults the spec's `target.demo` and the
 * `loadspec demo` flags share, and the parser for the `--faults` list.
 */
import { LoadspecError } from '../errors.js';
import type { DemoFault, DemoSpec } from '../spec/types.js';
import { parsePercent } from '../spec/units.js';

export const DEMO_FAULTS: readonly DemoFault[] = ['http_5xx', 'rate_limited', 'drop', 'hang', 'garbage'];

export interface DemoOptions extends DemoSpec {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Seeds fault and jitter draws, so a rerun injects the same faults into the same turns. */
  readonly seed: number;
  /** Gap between streamed pieces of a reply (SSE, chunked, WebSocket chunks). */
  readonly streamGapMs: number;
  /** Retry-After sent with injected 429s, in seconds. */
  readonly retryAfterSec: number;
}

export const DEMO_DEFAULTS: DemoOptions = {
  host: '127.0.0.1',
  port: 0,
  latencyMs: 200,
  jitterMs: 50,
  capacity: 50,
  faults: {},
  seed: 1,
  streamGapMs: 10,
  retryAfterSec: 1,
};

export function demoOptions(overrides: Partial<DemoOptions> = {}): DemoOptions {
  const options = { ...DEMO_DEFAULTS, ...overrides, faults: { ...overrides.faults } };
  let total = 0;
  for (const [fault, rate] of Object.entries(options.faults)) {
    if (!DEMO_FAULTS.includes(fault as DemoFault)) throw new RangeError(`unknown demo fault "${fault}"; faults: ${DEMO_FAULTS.join(', ')}`);
    if (!(typeof rate === 'number' && rate >= 0 && rate <= 1)) throw new RangeError(`demo fault ${fault} rate must be a fraction 0..1, not ${String(rate)}`);
    total += rate;
  }
  if (total > 1 + 1e-9) throw new RangeError(`demo fault rates add up to ${Math.round(total * 1000) / 10}%, more than 100%`);
  if (!(options.capacity >= 1)) throw new RangeError('demo capacity must be at least 1');
  return options;
}

/** `http_5xx=2%,rate_limited=1%,drop=0.5%` → { http_5xx: 0.02, ... } (the `--faults` flag). */
export function parseFaultList(list: string): Partial<Record<DemoFault, number>> {
  const faults: Partial<Record<DemoFault, number>> = {};
  for (const item of list.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [name = '', value = ''] = item.split('=').map((part) => part.trim());
    if (!DEMO_FAULTS.includes(name as DemoFault)) {
      throw new LoadspecError('LOADSPEC_USAGE', `--faults: unknown fault "${name}"; faults: ${DEMO_FAULTS.join(', ')}`);
    }
    const rate = parsePercent(value, { allowFraction: true });
    if (!rate.ok) throw new LoadspecError('LOADSPEC_USAGE', `--faults: ${name}: ${rate.error}`);
    faults[name as DemoFault] = rate.value;
  }
  return faults;
}
