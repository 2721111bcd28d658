/** Target checks: a URL the driver can use, sane sim latencies, templates in the protocol settings. */
import { isRecord } from '../raw.js';
import { formatPath, type SpecPath } from '../source.js';
import { parseDuration } from '../units.js';
import { report, warn, type CheckContext } from './context.js';
import { checkJsonTemplates, checkTemplate } from './templates.js';

const SCHEMES: Readonly<Record<string, readonly string[]>> = { http: ['http:', 'https:'], websocket: ['ws:', 'wss:'] };

export function checkTarget(context: CheckContext): void {
  const target = context.raw.target;
  if (!isRecord(target)) return;
  const driver = typeof target.driver === 'string' ? target.driver : undefined;
  checkTargetFields(context, target, ['target'], driver);
  const variants = context.raw.variants;
  if (Array.isArray(variants)) {
    variants.forEach((variant: unknown, index) => {
      if (isRecord(variant) && isRecord(variant.target)) checkTargetFields(context, variant.target, ['variants', index, 'target'], driver, target.url);
    });
  }
}

function checkTargetFields(context: CheckContext, target: Record<string, unknown>, at: SpecPath, driver: string | undefined, baseUrl?: unknown): void {
  const url = target.url ?? baseUrl;
  const schemes = driver ? SCHEMES[driver] : undefined;
  if (schemes && typeof target.url === 'string' && target.url !== 'builtin') {
    let parsed: URL | undefined;
    try {
      parsed = new URL(target.url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !schemes.includes(parsed.protocol)) {
      // Credentials in a URL (user:password@) are as secret as an authorization header.
      const shown = target.url.replace(/\/\/[^/@\s]*@/, '//***@');
      report(context, `${formatPath([...at, 'url'])} "${shown}" is not a ${schemes.join(' or ').replace(/:/g, '')} URL`, [...at, 'url'], {
        hint: `write e.g. ${schemes[0]}//127.0.0.1:8080, or \`builtin\` for the bundled demo receptionist`,
      });
    }
  }
  if (target.demo !== undefined && typeof url === 'string' && url !== 'builtin') {
    warn(context, 'demo settings apply only to the bundled demo receptionist (url: builtin); they are ignored here', [...at, 'demo'], {
      atKey: true,
      hint: 'remove demo:, or set url: builtin to test against the demo receptionist',
    });
  }
  if (isRecord(target.latency)) {
    const p50 = parseDuration(target.latency.p50 ?? '300ms');
    const p95 = parseDuration(target.latency.p95 ?? '900ms');
    if (p50.ok && p95.ok && p95.value < p50.value) {
      report(context, `sim latency p95 (${String(target.latency.p95 ?? '900ms')}) is below p50 (${String(target.latency.p50 ?? '300ms')})`, [...at, 'latency'], { atKey: true, hint: 'p95 must be at least p50' });
    }
  }
  for (const step of ['start', 'turn', 'end']) {
    const value = target[step];
    if (!isRecord(value)) continue;
    checkTemplate(context, value.path, [...at, step, 'path']);
    checkJsonTemplates(context, value.body, [...at, step, 'body']);
    checkJsonTemplates(context, value.headers, [...at, step, 'headers']);
  }
  checkJsonTemplates(context, target.headers, [...at, 'headers']);
  checkJsonTemplates(context, target.send, [...at, 'send']);
  checkJsonTemplates(context, target.hangup, [...at, 'hangup']);
}
