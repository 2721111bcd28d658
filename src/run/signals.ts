/**
 * Ctrl-C and SIGTERM during a run. The first one stops the run the orderly way: scheduling
 * stops, calls in flight are hung up, calls.jsonl and the reports are written with the run
 * marked aborted, and the exit code is 130. A second one means "now": whatever outcomes
 * have arrived are flushed to calls.jsonl and the process exits at once with 130.
 */
import { EXIT } from '../errors.js';
import type { RunHandle } from './engine.js';

export interface InterruptOptions {
  readonly stderr: NodeJS.WritableStream;
  /** Injected for tests; default the real process. */
  readonly process?: Pick<NodeJS.Process, 'on' | 'off' | 'exit'>;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Installs the handlers; returns the function that removes them. */
export function handleInterrupts(handle: RunHandle, options: InterruptOptions): () => void {
  const proc = options.process ?? process;
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts === 1) {
      options.stderr.write(`\nloadspec: ${signal}: stopping; hanging up calls in flight and writing results (press Ctrl-C again to quit at once)\n`);
      handle.abort('interrupted');
      return;
    }
    handle.flushResults();
    options.stderr.write(`loadspec: ${signal} again: quitting now; calls.jsonl holds every call that ended\n`);
    proc.exit(EXIT.interrupted);
  };
  for (const signal of SIGNALS) proc.on(signal, onSignal);
  return () => {
    for (const signal of SIGNALS) proc.off(signal, onSignal);
  };
}
