/**
 * Targets that speak the demo receptionist's protocol (the spec defaults for http and
 * websocket), a CallJob, and a helper that plays a whole call through a real driver the
 * way the call runner does: open, turns, and hang-up in a finally block.
 */
import { CallError } from '../../src/errors.js';
import type { CallJob } from '../../src/plan/types.js';
import type { HttpTargetSpec, WebSocketTargetSpec } from '../../src/spec/types.js';
import type { AgentReply, Driver } from '../../src/drivers/types.js';

export const DEMO_SETTINGS = { latencyMs: 5, jitterMs: 0, capacity: 50, faults: {} } as const;

export function httpTarget(url: string, overrides: Partial<HttpTargetSpec> = {}): HttpTargetSpec {
  return {
    driver: 'http',
    url,
    turnTimeoutMs: 2_000,
    maxReplyBytes: 64 * 1024,
    headers: {},
    demo: DEMO_SETTINGS,
    start: { method: 'POST', path: '/calls', headers: {}, body: { scenario: '{{scenario}}', variant: '{{variant}}', caller: '{{persona.firstName}}' }, callId: '/callId' },
    turn: { method: 'POST', path: '/calls/{{callId}}/turns', headers: {}, body: { text: '{{text}}' }, reply: '/reply', stream: 'none', hangup: '/hangup' },
    end: { method: 'DELETE', path: '/calls/{{callId}}', headers: {} },
    ...overrides,
  };
}

export function wsTarget(url: string, overrides: Partial<WebSocketTargetSpec> = {}): WebSocketTargetSpec {
  return {
    driver: 'websocket',
    url,
    turnTimeoutMs: 2_000,
    maxReplyBytes: 64 * 1024,
    headers: {},
    demo: DEMO_SETTINGS,
    send: { type: 'say', text: '{{text}}' },
    reply: '/text',
    endField: '/done',
    hangupField: '/hangup',
    hangup: { type: 'hangup' },
    ...overrides,
  };
}

export function makeJob(index = 0, fields: Record<string, string> = { firstName: 'Maria', dob: '1961-04-12', medication: 'metformin' }): CallJob {
  return {
    index,
    id: `c-${String(index).padStart(6, '0')}`,
    scenarioIndex: 0,
    scenario: 'scheduling',
    variantIndex: 0,
    variant: 'default',
    persona: { id: `p-${index}`, fields },
    dueOffsetMs: 0,
    callSeed: index + 1,
  };
}

export interface PlayedCall {
  readonly replies: AgentReply[];
  readonly error?: CallError;
  readonly remoteId?: string;
}

/** Plays `lines` as one call and always hangs up, as the call runner does. */
export async function playCall(driver: Driver, target: HttpTargetSpec | WebSocketTargetSpec, lines: readonly string[], job = makeJob()): Promise<PlayedCall> {
  const replies: AgentReply[] = [];
  const controller = new AbortController();
  let session;
  try {
    session = await driver.open({ job, target, signal: controller.signal });
    for (const text of lines) {
      const reply = await session.turn({ kind: 'text', text }, controller.signal);
      replies.push(reply);
      if (reply.agentHungUp) break;
    }
    return { replies, ...(session.remoteId ? { remoteId: session.remoteId } : {}) };
  } catch (error) {
    if (!(error instanceof CallError)) throw error;
    return { replies, error };
  } finally {
    await session?.hangup();
  }
}
