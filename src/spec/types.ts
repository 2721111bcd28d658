/**
 * The resolved spec: what the loader hands to the rest of loadspec after parsing YAML,
 * interpolating ${ENV}, validating against schemas/loadspec.v1.json and converting human
 * units. Durations are milliseconds, rates calls per second, fractions 0..1.
 *
 * It is plain data (no classes, no RegExp, no functions) so it can be structured-cloned
 * into worker threads, and it is deep-frozen by the loader.
 */
import type { CallErrorCode, SourcePosition } from '../errors.js';

export const SPEC_VERSION = 1;

export interface Spec {
  readonly version: typeof SPEC_VERSION;
  readonly name: string;
  readonly description?: string;
  /** Absolute path of the spec file; relative paths in the spec resolve from its folder. */
  readonly sourcePath: string;
  readonly target: TargetSpec;
  readonly load: LoadSpec;
  readonly personas: PersonasSpec;
  readonly scenarios: readonly ScenarioSpec[];
  /** Always at least one: a spec without variants gets a single `default` variant. */
  readonly variants: readonly VariantSpec[];
  readonly thresholds: readonly ThresholdSpec[];
  readonly report: ReportSpec;
  readonly llm?: LlmSpec;
  readonly cost: CostSpec;
}

// ---------------------------------------------------------------- target

export type TargetSpec = SimTargetSpec | HttpTargetSpec | WebSocketTargetSpec;
export type DriverName = TargetSpec['driver'];

interface TargetCommon {
  /** Per-turn limit: a turn with no complete reply by then ends the call with `timeout`. */
  readonly turnTimeoutMs: number;
  /** Largest reply accepted, in bytes; bigger replies end the call with `protocol`. */
  readonly maxReplyBytes: number;
}

export interface SimTargetSpec extends TargetCommon {
  readonly driver: 'sim';
  /** Response time distribution (log-normal fitted to p50 and p95). */
  readonly latency: { readonly p50Ms: number; readonly p95Ms: number };
  /** Turn-to-end-of-reply time added on top of the response time. */
  readonly replyDurationMs: number;
  /** Simultaneous turns the model serves per worker thread; beyond it turns queue. */
  readonly capacity: number;
  /** Probability per turn of each error code, e.g. { http_5xx: 0.01 }. */
  readonly failures: Readonly<Partial<Record<CallErrorCode, number>>>;
}

/** Settings for the bundled demo receptionist, when `url: builtin`. */
export interface DemoSpec {
  readonly latencyMs: number;
  /** Spread of the latency (uniform ± jitter). */
  readonly jitterMs: number;
  /** Simultaneous turns the demo serves ("LLM slots"); excess turns queue. */
  readonly capacity: number;
  /** Probability per turn of each fault. */
  readonly faults: Readonly<Partial<Record<DemoFault, number>>>;
}
export type DemoFault = 'http_5xx' | 'rate_limited' | 'drop' | 'hang' | 'garbage';

export interface HttpStepSpec {
  readonly method: string;
  /** Path or absolute URL, a Handlebars template (callId, persona, text, variant, scenario). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * JSON body, every string in it a Handlebars template (context: persona, callId, text,
   * scenario, variant, turn, call); undefined sends no body.
   */
  readonly body?: unknown;
}

export interface HttpTargetSpec extends TargetCommon {
  readonly driver: 'http';
  /** Base URL, or `builtin` for the bundled demo receptionist. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly demo: DemoSpec;
  readonly start: HttpStepSpec & { readonly callId: string /* JSON pointer into the reply */ };
  readonly turn: HttpStepSpec & {
    /** JSON pointer to the reply text (for stream: sse, within each event's data). */
    readonly reply: string;
    readonly stream: 'none' | 'sse' | 'chunked';
    /** JSON pointer to a boolean that says the agent hung up with this reply. */
    readonly hangup?: string;
  };
  readonly end: HttpStepSpec;
}

export interface WebSocketTargetSpec extends TargetCommon {
  readonly driver: 'websocket';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly demo: DemoSpec;
  /** JSON message sent for each caller turn; every string in it is a Handlebars template. */
  readonly send: unknown;
  /** JSON pointer to the reply text in each incoming message. */
  readonly reply: string;
  /** The reply is every message until one whose `endField` pointer is truthy; absent: one message. */
  readonly endField?: string;
  /** JSON pointer to a boolean that says the agent hung up. */
  readonly hangupField?: string;
  /** JSON message sent before closing the socket (templated like `send`); absent: just close. */
  readonly hangup?: unknown;
}

// ---------------------------------------------------------------- load

export interface PhaseSpec {
  readonly durationMs: number;
  /** Calls per second at the start of the phase. */
  readonly ratePerSec: number;
  /** Calls per second at the end of the phase (linear ramp); equals ratePerSec when constant. */
  readonly rampToPerSec: number;
  /** Where the phase was written, for messages. */
  readonly name?: string;
}

export interface LoadSpec {
  /** Total calls to place. Scheduling stops once this many have arrived. */
  readonly calls: number;
  readonly concurrency: number;
  /**
   * Arrival phases in order. After the last phase its final rate holds until `calls`
   * have arrived (or the duration cap is reached).
   */
  readonly phases: readonly PhaseSpec[];
  readonly arrivals: 'uniform' | 'poisson';
  /** How long an arrival waits for a free line before it is counted as dropped. */
  readonly queueMaxWaitMs: number;
  readonly callTimeoutMs: number;
  readonly seed: number;
  /** Hard cap on the run's length; scheduling stops then. */
  readonly maxDurationMs: number;
  /** After scheduling stops, how long in-flight calls may take before they are hung up. */
  readonly gracePeriodMs: number;
  readonly retries: RetrySpec;
  /** Worker threads; 0 means one per core. */
  readonly threads: number;
}

export interface RetrySpec {
  /** Total attempts including the first; 1 disables retries. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

// ---------------------------------------------------------------- personas

export type FieldGenerator =
  | { readonly kind: 'pick'; readonly values: readonly string[] }
  | { readonly kind: 'date'; readonly from: string; readonly to: string /* ISO yyyy-mm-dd, inclusive */ }
  | { readonly kind: 'int'; readonly min: number; readonly max: number };

export interface PersonasSpec {
  readonly fields: Readonly<Record<string, FieldGenerator>>;
  /** Rows of a CSV file (header row gives field names), loaded and checked at spec load. */
  readonly rows?: readonly Readonly<Record<string, string>>[];
  readonly csvPath?: string;
  readonly traits: {
    /** The caller hangs up (`hangup_early`) when one reply takes longer than this. */
    readonly patienceMs?: { readonly minMs: number; readonly maxMs: number };
  };
  /** Persona field whose value segments metrics (e.g. `ageBand`); bounded cardinality. */
  readonly segmentBy?: string;
}

// ---------------------------------------------------------------- scenarios

export interface TextMatch {
  readonly contains?: readonly string[];
  /** Regular expression source; `(?i)` prefix means case-insensitive. */
  readonly matches?: string;
}

export interface TurnExpect extends TextMatch {
  readonly not?: TextMatch;
  /** The agent's first reply must arrive within this. */
  readonly withinMs?: number;
}

export interface TurnSpec {
  /** Handlebars template of what the caller says. */
  readonly say: string;
  readonly expect?: TurnExpect;
  /** Pause before saying this line (the caller thinking). */
  readonly pauseMs: number;
  readonly position?: SourcePosition;
}

export interface CallExpect {
  readonly minTurns?: number;
  readonly maxTurns?: number;
  /** Who must end the call. */
  readonly endedBy?: 'caller' | 'agent';
}

export interface LlmCallerSpec {
  /** Handlebars template of the caller's goal. */
  readonly goal: string;
  readonly model: string;
  readonly temperature: number;
  readonly maxTurns: number;
  /** Handlebars template of the first line; when absent the model writes it. */
  readonly opening?: string;
}

export interface JudgeSpec {
  readonly rubric: readonly string[];
  readonly model: string;
}

export interface ScenarioSpec {
  readonly name: string;
  readonly weight: number;
  readonly caller: 'scripted' | 'llm';
  readonly turns: readonly TurnSpec[];
  readonly llm?: LlmCallerSpec;
  readonly judge?: JudgeSpec;
  readonly expect?: CallExpect;
}

// ---------------------------------------------------------------- variants

export interface VariantSpec {
  readonly name: string;
  readonly weight: number;
  /** The spec's target with this variant's overrides merged in. */
  readonly target: TargetSpec;
}

// ---------------------------------------------------------------- thresholds

export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface ThresholdSpec {
  /** Metric name from the metric registry, e.g. `response_time`. */
  readonly metric: string;
  /** Tag filter, e.g. { scenario: 'refill' }; empty for the whole run. */
  readonly scope: Readonly<Record<string, string>>;
  /** The key as written, e.g. `response_time{scenario:refill}`. */
  readonly key: string;
  /** The expression as written, e.g. `p95 < 1500ms`. */
  readonly expression: string;
  /** avg, min, max, med, p(NN), rate, count. */
  readonly aggregation: string;
  /** For pNN aggregations, the percentile (0..100). */
  readonly percentile?: number;
  readonly operator: ThresholdOperator;
  /** In the metric's unit: ms for trends, a fraction for rates, a number for counts. */
  readonly value: number;
  /** A threshold that saw no samples passes instead of failing. */
  readonly allowNoData: boolean;
  /** Stop the run once this threshold is clearly breached. */
  readonly abortOnFail: boolean;
  /** abortOnFail may not fire before this much of the run has passed. */
  readonly abortDelayMs: number;
  readonly position?: SourcePosition;
}

// ---------------------------------------------------------------- report, llm, cost

export type ReportFormat = 'html' | 'json' | 'junit';

export interface ReportSpec {
  /** Output folder; undefined means a fresh folder under loadspec-results/. */
  readonly outDir?: string;
  readonly formats: readonly ReportFormat[];
  /** How many failed-call transcripts the HTML report shows. */
  readonly sampleTranscripts: number;
}

export interface LlmSpec {
  readonly baseURL?: string;
  /** Never written to any output. */
  readonly apiKey?: string;
  readonly requestTimeoutMs: number;
  /** Requests per minute across all worker threads; undefined is unlimited. */
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
  /** Simultaneous judge requests across the run. */
  readonly judgeConcurrency: number;
}

export interface ModelPrice {
  /** US dollars per million input tokens. */
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
}

export interface CostSpec {
  /** Model name → price; merged over the built-in defaults. */
  readonly prices: Readonly<Record<string, ModelPrice>>;
  /** Stop the run when the projected spend passes this many US dollars. */
  readonly budgetUsd?: number;
}
