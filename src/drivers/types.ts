/**
 * The one interface every transport implements: sim, http, websocket, and the audio ones
 * (twilio-media, twilio). A driver lives in a worker thread and may keep pooled resources
 * (keep-alive connections); a session is one call.
 *
 * Drivers throw `CallError` (errors.ts) with a classified code; anything else they throw
 * is recorded as `internal`. The call runner always calls `hangup()` in a finally block.
 */
import type { CallJob } from '../plan/types.js';
import type { TargetSpec } from '../spec/types.js';

/** A caller utterance. Text drivers use `text`; audio drivers play `audio` (or synthesize `text`). */
export type Utterance =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'audio';
      /** What the audio says, for transcripts and checks. */
      readonly text: string;
      /** 8 kHz mu-law frames of 20 ms, played at real-time pace by the driver. */
      readonly frames: AsyncIterable<Uint8Array>;
    };

export interface AgentReply {
  readonly text: string;
  /** End of the caller's utterance as the driver saw it (last byte or frame sent). */
  readonly sentAtMs: number;
  /** First byte or audio frame of the reply. */
  readonly firstByteAtMs: number;
  /** End of the reply. */
  readonly endAtMs: number;
  /** The agent ended the call with (or instead of) this reply. */
  readonly agentHungUp: boolean;
}

export interface CallSession {
  /** Server-side id of the call when the protocol has one. */
  readonly remoteId?: string;
  readonly connectedAtMs: number;
  /** Sends one caller utterance and waits for the agent's complete reply. */
  turn(utterance: Utterance, signal: AbortSignal): Promise<AgentReply>;
  /** Ends the call. Must be safe to call more than once and after a failure. */
  hangup(): Promise<void>;
}

export interface OpenContext {
  readonly job: CallJob;
  /** The target as the call's variant sees it. */
  readonly target: TargetSpec;
  readonly signal: AbortSignal;
}

export interface Driver {
  /** Opens a call; throws CallError when the target cannot be reached. */
  open(context: OpenContext): Promise<CallSession>;
  /** Releases pooled resources when the worker shuts down. */
  close(): Promise<void>;
}

/** Returns the wall clock as epoch ms with sub-ms precision (monotonic within a thread). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
