/**
 * Defaults the loader fills in. The HTTP and WebSocket defaults speak the bundled demo
 * receptionist's protocol, so `url: builtin` (or any server speaking it) needs no more.
 */
import type { DemoSpec, HttpTargetSpec, ModelPrice } from './types.js';

export const TARGET_DEFAULTS = { turnTimeoutMs: 30_000, maxReplyBytes: 1024 * 1024 } as const;

export const DEMO_DEFAULTS: DemoSpec = { latencyMs: 200, jitterMs: 50, capacity: 50, faults: {} };

export const SIM_DEFAULTS = { latency: { p50Ms: 300, p95Ms: 900 }, replyDurationMs: 0, capacity: 1000 } as const;

export const HTTP_DEFAULTS: Pick<HttpTargetSpec, 'start' | 'turn' | 'end'> = {
  start: {
    method: 'POST',
    path: '/calls',
    headers: {},
    body: { scenario: '{{scenario}}', variant: '{{variant}}', caller: '{{persona.firstName}}' },
    callId: '/callId',
  },
  turn: { method: 'POST', path: '/calls/{{callId}}/turns', headers: {}, body: { text: '{{text}}' }, reply: '/reply', hangup: '/hangup', stream: 'none' },
  end: { method: 'DELETE', path: '/calls/{{callId}}', headers: {} },
};

export const WEBSOCKET_DEFAULTS = {
  send: { type: 'say', text: '{{text}}' },
  reply: '/text',
  endField: '/done',
  hangupField: '/hangup',
  hangup: { type: 'hangup' },
} as const;

export const LOAD_DEFAULTS = {
  concurrency: 10,
  arrivals: 'uniform',
  queueMaxWaitMs: 30_000,
  callTimeoutMs: 5 * 60_000,
  seed: 1,
  maxDurationMs: 3_600_000,
  gracePeriodMs: 30_000,
  retries: { attempts: 3, baseDelayMs: 250, maxDelayMs: 10_000 },
  threads: 0,
} as const;

export const LLM_DEFAULTS = { model: 'gpt-4o-mini', temperature: 0.7, maxTurns: 10, requestTimeoutMs: 60_000, judgeConcurrency: 4 } as const;

export const REPORT_DEFAULTS = { formats: ['html', 'json', 'junit'], sampleTranscripts: 5 } as const;

/** US dollars per million tokens (OpenAI list prices); a spec's cost.prices merge over these. */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
};
