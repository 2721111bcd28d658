/** Checks on `load:` the schema cannot express: pacing or phases, calls, a run that can end. */
import { isRecord } from '../raw.js';
import { parseDuration, parseRate } from '../units.js';
import { report, type CheckContext } from './context.js';

export function checkLoad(context: CheckContext): void {
  const load = context.raw.load;
  if (!isRecord(load)) return;
  const hasPacing = load.pacing !== undefined;
  const hasPhases = load.phases !== undefined;
  if (hasPacing && hasPhases) {
    report(context, 'load has both "pacing" and "phases"; use one', ['load', 'pacing'], {
      atKey: true,
      hint: 'pacing is one constant rate; phases are a sequence of rates (with ramps)',
    });
  } else if (!hasPacing && !hasPhases) {
    report(context, 'load needs "pacing" (one constant rate) or "phases"', ['load'], {
      atKey: true,
      hint: 'e.g. pacing: 5/s, or phases: [{ duration: 30s, pacing: 1/s, rampTo: 10/s }]',
    });
  }
  if (hasPacing && !hasPhases && load.calls === undefined) {
    report(context, 'load.calls is required with pacing: a constant rate alone never ends', ['load', 'pacing'], {
      atKey: true,
      hint: 'add calls: N, or describe the run as phases (their durations give the number of calls)',
    });
  }
  if (Array.isArray(load.phases) && load.phases.length > 0) {
    let totalMs = 0;
    let arrivals = 0;
    let allValid = true;
    for (const phase of load.phases) {
      if (!isRecord(phase)) {
        allValid = false;
        continue;
      }
      const duration = parseDuration(phase.duration);
      const rate = parseRate(phase.pacing);
      const rampTo = phase.rampTo === undefined ? rate : parseRate(phase.rampTo);
      if (!duration.ok || !rate.ok || !rampTo.ok) {
        allValid = false;
        continue;
      }
      totalMs += duration.value;
      arrivals += ((rate.value + rampTo.value) / 2) * (duration.value / 1000);
    }
    if (allValid && totalMs === 0) {
      report(context, 'load.phases last 0ms in total; no call would ever arrive', ['load', 'phases'], { atKey: true, hint: 'give the phases a duration, e.g. 30s' });
    } else if (allValid && load.calls === undefined && Math.round(arrivals) < 1) {
      report(context, `load.phases expect ${arrivals.toFixed(2)} arrivals, which rounds to no calls`, ['load', 'phases'], {
        atKey: true,
        hint: 'raise the rates or durations, or set load.calls',
      });
    }
  }
  const retries = load.retries;
  if (isRecord(retries)) {
    const backoff = parseDuration(retries.backoff ?? '250ms');
    const max = parseDuration(retries.maxBackoff ?? '10s');
    if (backoff.ok && max.ok && backoff.value > max.value) {
      report(context, `load.retries.backoff (${String(retries.backoff ?? '250ms')}) is longer than maxBackoff (${String(retries.maxBackoff ?? '10s')})`, ['load', 'retries'], { atKey: true });
    }
  }
}
