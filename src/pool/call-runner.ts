/**
 * One call, start to finish, inside a worker thread:
 *
 *   started (queue wait = start − due) → driver.open (connect_time) → loop:
 *   caller.next → pause → session.turn → TurnRecord → checks → patience
 *   → until the caller is done or the agent hangs up → per-call checks → hang-up (always).
 *
 * The whole call lives under one AbortSignal, aborted by the call timeout or by the main
 * thread (Ctrl-C, grace period over) with a CallError as the reason, so whatever was
 * waiting ends with the right code. Every await on a driver or caller is raced against
 * that signal, so a transport that ignores cancellation still cannot keep a call alive.
 *
 * Nothing here throws: every ending, including loadspec's own bugs (`internal`), becomes
 * an outcome record.
 */
import { CallError } from '../errors.js';
import { checkCall } from '../checks/call.js';
import { judgeEndedCall } from '../checks/judge.js';
import { usageCostUsd } from '../llm/cost.js';
import { checkTurn } from '../checks/turn.js';
import { createRng, deriveSeed } from '../plan/prng.js';
import type { CallJob } from '../plan/types.js';
import { createCaller } from '../persona/index.js';
import type { Caller, TranscriptEntry } from '../persona/types.js';
import { outcomeBase } from '../results/outcome.js';
import type { CallOutcome, CallStatus, CheckFailure, TurnRecord } from '../results/types.js';
import type { ScenarioSpec, Spec } from '../spec/types.js';
import { abortReason } from '../drivers/deadline.js';
import { withRetries } from '../drivers/retry.js';
import { abortableSleep } from '../drivers/sleep.js';
import { nowMs, type AgentReply, type CallSession, type Driver } from '../drivers/types.js';

/** Longest reply text kept in a TurnRecord. */
export const REPLY_LIMIT = 2_000;

/** What the runner reports to the worker's metrics (WorkerMetrics implements it). */
export interface CallMetricsSink {
  callStarted(job: CallJob, startedAtMs: number, queueWaitMs: number): void;
  turnEnded(job: CallJob, turn: TurnRecord): void;
  callEnded(outcome: CallOutcome): void;
}

export interface CallRunnerDeps {
  readonly spec: Spec;
  /** The driver for a variant (one per variant target, shared by the worker's calls). */
  driverFor(variantIndex: number): Driver;
  readonly metrics?: CallMetricsSink;
  readonly threadId: number;
  /** WorkerInit.shared: LLM rate limits and judge concurrency across threads. */
  readonly shared?: SharedArrayBuffer;
}

type EndedBy = NonNullable<CallOutcome['endedBy']>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Why the call ended without a normal hang-up: the error and who ended it. */
interface Ending {
  readonly error: CallError;
  readonly endedBy: EndedBy;
}

/**
 * `cancel` is the run's way to hang up: a signal, or (cheaper, the worker's way) an
 * AbortController its owner aborts only with a CallError, which then serves as the call's
 * own controller instead of a second one chained to it.
 */
export async function runCall(job: CallJob, dueAtMs: number, deps: CallRunnerDeps, cancel: AbortSignal | AbortController): Promise<CallOutcome> {
  const startedAtMs = nowMs();
  const queueWaitMs = Math.max(0, startedAtMs - dueAtMs);
  deps.metrics?.callStarted(job, startedAtMs, queueWaitMs);

  const { spec } = deps;
  const scenario = spec.scenarios[job.scenarioIndex] as ScenarioSpec;
  const variant = spec.variants[job.variantIndex];
  const target = variant?.target ?? spec.target;
  const owned = cancel instanceof AbortController;
  const call = owned ? cancel : new AbortController();
  const cancelSignal = owned ? undefined : cancel;
  const onCancel = (): void => {
    if (cancelSignal) call.abort(cancelSignal.reason instanceof CallError ? cancelSignal.reason : abortReason(cancelSignal, 'call'));
  };
  if (cancelSignal?.aborted) onCancel();
  else cancelSignal?.addEventListener('abort', onCancel, { once: true });
  const timeout = setTimeout(() => call.abort(new CallError('timeout', `the call ran past callTimeout (${spec.load.callTimeoutMs} ms)`)), spec.load.callTimeoutMs);
  const signal = call.signal;
  const racer = new Racer(signal);

  const retryRng = createRng(deriveSeed(job.callSeed, 'retry', 0));
  let attempts = 1;
  const retry = {
    policy: spec.load.retries,
    random: () => retryRng.float(),
    signal,
    onRetry: () => {
      attempts++;
    },
  };

  const turns: TurnRecord[] = [];
  const checkFailures: CheckFailure[] = [];
  const transcript: TranscriptEntry[] = [];
  let session: CallSession | undefined;
  let caller: Caller | undefined;
  let connectedAtMs: number | undefined;
  let endedBy: EndedBy = 'caller';
  let ending: Ending | undefined;

  try {
    const driver = deps.driverFor(job.variantIndex);
    session = await withRetries(() => racer.race(driver.open({ job, target, signal }), 'open', hangUpLate), retry);
    connectedAtMs = session.connectedAtMs;
    caller = createCaller(scenario, job.persona, { job, spec, ...(deps.shared ? { shared: deps.shared } : {}) });
    for (;;) {
      const line = await racer.race(caller.next(transcript, signal), 'caller');
      if (line === null) {
        endedBy = 'caller';
        break;
      }
      // A zero pause needs no promise; a cancelled call still ends here.
      if (line.pauseMs > 0 || signal.aborted) await abortableSleep(line.pauseMs, signal, 'pause');
      const open = session;
      const reply = await withRetries(() => racer.race(open.turn({ kind: 'text', text: line.text }, signal), `turn ${turns.length + 1}`), retry);
      const turn = turnRecord(turns.length, line.text, reply);
      turns.push(turn);
      transcript.push({ speaker: 'caller', text: line.text }, { speaker: 'agent', text: reply.text });
      deps.metrics?.turnEnded(job, turn);
      if (line.expect) checkFailures.push(...checkTurn(line.expect, { reply: reply.text, responseMs: turn.responseMs ?? 0 }, turn.index));
      const patienceMs = job.persona.patienceMs;
      if (patienceMs !== undefined && (turn.responseMs ?? 0) > patienceMs) {
        ending = { error: new CallError('hangup_early', `turn ${turn.index + 1}: the agent took ${Math.round(turn.responseMs ?? 0)} ms, past the caller's patience of ${Math.round(patienceMs)} ms`), endedBy: 'caller' };
        break;
      }
      if (reply.agentHungUp) {
        endedBy = 'agent';
        if (cutOff(scenario, turns.length)) {
          ending = { error: new CallError('agent_hangup', `the agent hung up after turn ${turns.length} of ${scenario.turns.length}`), endedBy: 'agent' };
        }
        break;
      }
    }
    if (!ending) checkFailures.push(...checkCall(scenario.expect, { turns: turns.length, endedBy }));
  } catch (error) {
    ending = endingFor(error, signal);
  } finally {
    clearTimeout(timeout);
    racer.close();
    cancelSignal?.removeEventListener('abort', onCancel);
    // Hang-up runs whatever happened; its own failure never changes the outcome.
    if (session) await session.hangup().catch(() => undefined);
  }

  const endedAtMs = nowMs();
  // The judge reads the finished call; its failures fail the call, its errors end it in error.
  const judged = ending ? undefined : await judgeEndedCall({ spec, scenario, transcript, caller, ...(deps.shared ? { shared: deps.shared } : {}), signal: owned ? cancel.signal : cancel });
  if (judged?.error) ending = { error: judged.error, endedBy };
  const judgeFailures = judged?.failures ?? [];
  let status: CallStatus = 'passed';
  let errorCode: CallOutcome['errorCode'];
  let errorMessage: string | undefined;
  if (ending) {
    status = 'error';
    errorCode = ending.error.code;
    errorMessage = ending.error.message;
    endedBy = ending.endedBy;
  } else if (checkFailures.length > 0 || judgeFailures.length > 0) {
    status = 'failed';
    errorCode = checkFailures.length > 0 ? 'check_failed' : 'judge_failed';
    errorMessage = [...checkFailures, ...judgeFailures].map((f) => f.check).join('; ');
  }
  const callerUsage = caller?.usage() ?? [];
  const usage = judged?.usage.length ? [...callerUsage, ...judged.usage] : [...callerUsage];
  // Built by assignment in calls.jsonl's key order: conditional spreads cost more than the
  // rest of a zero-latency call's bookkeeping.
  const outcome = outcomeBase(job, dueAtMs) as Mutable<CallOutcome>;
  outcome.status = status;
  if (errorCode !== undefined) outcome.errorCode = errorCode;
  if (errorMessage !== undefined) outcome.errorMessage = errorMessage;
  outcome.startedAtMs = startedAtMs;
  if (connectedAtMs !== undefined) {
    outcome.connectedAtMs = connectedAtMs;
    outcome.connectMs = connectedAtMs - startedAtMs;
  }
  outcome.endedAtMs = endedAtMs;
  outcome.queueWaitMs = queueWaitMs;
  outcome.durationMs = endedAtMs - startedAtMs;
  outcome.endedBy = endedBy;
  outcome.attempts = attempts;
  outcome.turns = turns;
  outcome.checkFailures = judgeFailures.length > 0 ? [...checkFailures, ...judgeFailures] : checkFailures;
  if (judged?.verdict) outcome.judge = judged.verdict;
  outcome.usage = usage;
  outcome.costUsd = usage.length > 0 ? usageCostUsd(usage, spec.cost.prices) : 0;
  outcome.threadId = deps.threadId;
  deps.metrics?.callEnded(outcome);
  return outcome;
}

function turnRecord(index: number, said: string, reply: AgentReply): TurnRecord {
  return {
    index,
    said,
    reply: reply.text.length > REPLY_LIMIT ? reply.text.slice(0, REPLY_LIMIT) : reply.text,
    sentAtMs: reply.sentAtMs,
    firstByteAtMs: reply.firstByteAtMs,
    endAtMs: reply.endAtMs,
    responseMs: Math.max(0, reply.firstByteAtMs - reply.sentAtMs),
    turnMs: Math.max(0, reply.endAtMs - reply.sentAtMs),
  };
}

/** A scripted caller with lines left was cut off; other callers decide for themselves. */
function cutOff(scenario: ScenarioSpec, said: number): boolean {
  if (scenario.expect?.endedBy === 'agent' || scenario.caller !== 'scripted') return false;
  return said < scenario.turns.length;
}

function endingFor(error: unknown, signal: AbortSignal): Ending {
  // Once the call is cancelled or timed out, that is why it ended, whatever the transport threw.
  const callError = signal.aborted ? abortReason(signal, 'call') : error instanceof CallError ? error : undefined;
  if (callError) {
    return { error: callError, endedBy: callError.code === 'agent_hangup' ? 'agent' : 'loadspec' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { error: new CallError('internal', `loadspec failed while running the call: ${message}`), endedBy: 'loadspec' };
}

/** A session that connected after its call was given up still gets hung up. */
function hangUpLate(session: CallSession): void {
  session.hangup().catch(() => undefined);
}

/**
 * Races each step of a call against its signal with one abort listener for the whole call
 * (EventTarget listeners cost more than the zero-latency steps they guard): `race` settles
 * with the step, or rejects with the signal's CallError as soon as it aborts; `late`
 * receives a value that arrives after that.
 */
class Racer {
  private readonly pending = new Set<() => void>();
  private readonly onAbort = (): void => {
    const aborts = [...this.pending];
    this.pending.clear();
    for (const abort of aborts) abort();
  };

  constructor(private readonly signal: AbortSignal) {
    if (!signal.aborted) signal.addEventListener('abort', this.onAbort, { once: true });
  }

  race<T>(promise: Promise<T>, what: string, late?: (value: T) => void): Promise<T> {
    const signal = this.signal;
    if (signal.aborted) {
      promise.then(late, () => undefined);
      return Promise.reject(abortReason(signal, what));
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        settled = true;
        reject(abortReason(signal, what));
      };
      this.pending.add(onAbort);
      promise.then(
        (value) => {
          this.pending.delete(onAbort);
          if (settled) late?.(value);
          else resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(onAbort);
          reject(error);
        },
      );
    });
  }

  close(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    this.pending.clear();
  }
}
