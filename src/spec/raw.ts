/**
 * The spec as written in YAML (after ${ENV} interpolation), in the shape
 * schemas/loadspec.v1.json describes. Only the resolver reads this; everything else in
 * loadspec reads the resolved `Spec` from types.ts.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface RawHttpStep {
  method?: string;
  path?: string;
  headers?: Record<string, string | number | boolean>;
  body?: Json;
  callId?: string;
  reply?: string;
  hangup?: string;
  stream?: 'none' | 'sse' | 'chunked';
}

export interface RawDemo {
  latency?: string;
  jitter?: string;
  capacity?: number;
  faults?: Record<string, string>;
}

export interface RawTarget {
  driver?: 'sim' | 'http' | 'websocket';
  url?: string;
  headers?: Record<string, string | number | boolean>;
  turnTimeout?: string;
  maxReplyBytes?: number | string;
  demo?: RawDemo;
  latency?: { p50?: string; p95?: string };
  replyDuration?: string;
  capacity?: number;
  failures?: Record<string, string | number>;
  start?: RawHttpStep;
  turn?: RawHttpStep;
  end?: RawHttpStep;
  send?: Json;
  reply?: string;
  endField?: string;
  hangupField?: string;
  hangup?: Json;
}

export interface RawPhase {
  name?: string;
  duration: string;
  pacing: string;
  rampTo?: string;
}

export interface RawLoad {
  calls?: number;
  concurrency?: number;
  pacing?: string;
  phases?: RawPhase[];
  arrivals?: 'uniform' | 'poisson';
  queue?: { maxWait?: string };
  callTimeout?: string;
  seed?: number;
  maxDuration?: string;
  gracePeriod?: string;
  retries?: { attempts?: number; backoff?: string; maxBackoff?: string };
  threads?: number;
}

export type RawField = (string | number | boolean)[] | { date?: [string, string]; int?: [number, number] };

export interface RawPersonas {
  fields?: Record<string, RawField>;
  from?: string;
  traits?: { patience?: { between: [string, string] } };
  segmentBy?: string;
}

export interface RawTextMatch {
  contains?: string | string[];
  matches?: string;
}

export interface RawTurn {
  say: string;
  expect?: RawTextMatch & { not?: RawTextMatch; within?: string };
  pause?: string;
}

export interface RawScenario {
  name: string;
  weight?: number;
  caller?: 'scripted' | 'llm';
  turns?: RawTurn[];
  llm?: { goal?: string; model?: string; temperature?: number; maxTurns?: number; opening?: string };
  judge?: { rubric?: string[]; model?: string };
  expect?: { minTurns?: number; maxTurns?: number; endedBy?: 'caller' | 'agent' };
}

export interface RawVariant {
  name: string;
  weight?: number;
  target?: RawTarget;
}

export type RawThresholdItem = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string; allowNoData?: boolean };
export type RawThresholdValue = RawThresholdItem | RawThresholdItem[];

export interface RawSpec {
  version: number;
  name: string;
  description?: string;
  target: RawTarget;
  load: RawLoad;
  personas?: RawPersonas;
  scenarios: RawScenario[];
  variants?: RawVariant[];
  thresholds?: Record<string, RawThresholdValue>;
  report?: { out?: string; formats?: ('html' | 'json' | 'junit')[]; sampleTranscripts?: number };
  llm?: { baseURL?: string; apiKey?: string; requestTimeout?: string; requestsPerMinute?: number; tokensPerMinute?: number; judgeConcurrency?: number };
  cost?: { prices?: Record<string, { input: number; output: number }>; budget?: number };
}

/** Plain-object test that narrows `unknown` for the checks, which run on unvalidated input. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
