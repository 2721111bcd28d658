/** Raw `target:` (and variant overrides merged onto it) → the resolved TargetSpec with defaults. */
import type { CallErrorCode } from '../errors.js';
import { DEMO_DEFAULTS, HTTP_DEFAULTS, SIM_DEFAULTS, TARGET_DEFAULTS, WEBSOCKET_DEFAULTS } from './defaults.js';
import { isRecord, type Json, type RawDemo, type RawHttpStep, type RawTarget } from './raw.js';
import type { DemoFault, DemoSpec, HttpStepSpec, TargetSpec } from './types.js';
import { parseBytes, parseDuration, parsePercent, type UnitResult } from './units.js';

/** Unwraps a unit that the schema already validated; a failure here is a loadspec bug. */
export function unit(result: UnitResult): number {
  if (!result.ok) throw new Error(`unit validated by the schema failed to parse: ${result.error}`);
  return result.value;
}

export function durationMs(text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : unit(parseDuration(text));
}

export function resolveTarget(raw: RawTarget): TargetSpec {
  const common = {
    turnTimeoutMs: durationMs(raw.turnTimeout, TARGET_DEFAULTS.turnTimeoutMs),
    maxReplyBytes: raw.maxReplyBytes === undefined ? TARGET_DEFAULTS.maxReplyBytes : unit(parseBytes(raw.maxReplyBytes)),
  };
  switch (raw.driver) {
    case 'sim': {
      const failures: Partial<Record<CallErrorCode, number>> = {};
      for (const [code, share] of Object.entries(raw.failures ?? {})) {
        failures[code as CallErrorCode] = unit(parsePercent(share, { allowFraction: true }));
      }
      return {
        driver: 'sim',
        ...common,
        latency: {
          p50Ms: durationMs(raw.latency?.p50, SIM_DEFAULTS.latency.p50Ms),
          p95Ms: durationMs(raw.latency?.p95, SIM_DEFAULTS.latency.p95Ms),
        },
        replyDurationMs: durationMs(raw.replyDuration, SIM_DEFAULTS.replyDurationMs),
        capacity: raw.capacity ?? SIM_DEFAULTS.capacity,
        failures,
      };
    }
    case 'http':
      return {
        driver: 'http',
        ...common,
        url: raw.url ?? '',
        headers: stringRecord(raw.headers),
        demo: resolveDemo(raw.demo),
        start: { ...step(raw.start, HTTP_DEFAULTS.start), callId: raw.start?.callId ?? HTTP_DEFAULTS.start.callId },
        turn: {
          ...step(raw.turn, HTTP_DEFAULTS.turn),
          reply: raw.turn?.reply ?? HTTP_DEFAULTS.turn.reply,
          stream: raw.turn?.stream ?? HTTP_DEFAULTS.turn.stream,
          ...optional('hangup', raw.turn?.hangup ?? HTTP_DEFAULTS.turn.hangup),
        },
        end: step(raw.end, HTTP_DEFAULTS.end),
      };
    case 'websocket':
    default:
      return {
        driver: 'websocket',
        ...common,
        url: raw.url ?? '',
        headers: stringRecord(raw.headers),
        demo: resolveDemo(raw.demo),
        send: raw.send ?? WEBSOCKET_DEFAULTS.send,
        reply: raw.reply ?? WEBSOCKET_DEFAULTS.reply,
        // An empty pointer written in the spec turns the default off.
        ...optional('endField', raw.endField === undefined ? WEBSOCKET_DEFAULTS.endField : raw.endField || undefined),
        ...optional('hangupField', raw.hangupField === undefined ? WEBSOCKET_DEFAULTS.hangupField : raw.hangupField || undefined),
        ...optional('hangup', raw.hangup === undefined ? WEBSOCKET_DEFAULTS.hangup : (raw.hangup ?? undefined)),
      };
  }
}

function step(raw: RawHttpStep | undefined, defaults: HttpStepSpec): HttpStepSpec {
  const body = raw && 'body' in raw ? (raw.body ?? undefined) : defaults.body;
  return {
    method: raw?.method ?? defaults.method,
    path: raw?.path ?? defaults.path,
    headers: { ...defaults.headers, ...stringRecord(raw?.headers) },
    ...optional('body', body),
  };
}

function resolveDemo(raw: RawDemo | undefined): DemoSpec {
  const faults: Partial<Record<DemoFault, number>> = {};
  for (const [fault, share] of Object.entries(raw?.faults ?? {})) faults[fault as DemoFault] = unit(parsePercent(share));
  return {
    latencyMs: durationMs(raw?.latency, DEMO_DEFAULTS.latencyMs),
    jitterMs: durationMs(raw?.jitter, DEMO_DEFAULTS.jitterMs),
    capacity: raw?.capacity ?? DEMO_DEFAULTS.capacity,
    faults,
  };
}

function stringRecord(record: Record<string, string | number | boolean> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) out[key] = String(value);
  return out;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Deep merge for variant overrides: mappings merge key by key, everything else (lists,
 * scalars, JSON bodies' leaves) replaces. A JSON body is merged the same way, which is what
 * "override one field of the default body" wants.
 */
export function deepMerge(base: Json | undefined, override: Json | undefined): Json | undefined {
  if (override === undefined) return base;
  if (!isRecord(base) || !isRecord(override)) return override;
  const out: { [key: string]: Json } = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const merged = deepMerge(base[key], value);
    if (merged !== undefined) out[key] = merged;
  }
  return out;
}
