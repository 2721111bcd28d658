/**
 * TEST-ONLY hook, read by worker threads and nothing else: lets the engine's tests prove
 * that a crashing worker thread is survived (its calls recorded as `worker_crashed`, the
 * thread replaced, the run going on) without a real bug to trigger it.
 *
 * `LOADSPEC_TEST_CRASH_CALL=<index>` makes the worker that receives the call with that
 * index exit at once, as a segfaulting native module or an out-of-memory kill would;
 * `LOADSPEC_TEST_CRASH_CALL=load` makes every worker fail while loading, as a broken
 * install would. It is not a feature: it is undocumented for users on purpose and does
 * nothing when unset.
 */
export const CRASH_CALL_ENV = 'LOADSPEC_TEST_CRASH_CALL';

export function crashHookFor(env: NodeJS.ProcessEnv): ((callIndex: number) => void) | undefined {
  const raw = env[CRASH_CALL_ENV];
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'load') throw new Error(`${CRASH_CALL_ENV}=load: the worker fails to load (test hook)`);
  const crashIndex = Number.parseInt(raw, 10);
  return (callIndex) => {
    // Deferred a little so the calls already running on this thread are in flight when it dies.
    if (callIndex === crashIndex) setTimeout(() => process.exit(70), 20);
  };
}
