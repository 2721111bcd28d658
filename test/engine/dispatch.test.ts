import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPlan } from '../../src/plan/plan.js';
import type { CallTask } from '../../src/pool/protocol.js';
import type { CallOutcome } from '../../src/results/types.js';
import { ResultsWriter } from '../../src/results/writer.js';
import { Dispatcher } from '../../src/run/dispatch.js';
import { simSpec, tempDir } from '../support/engine-spec.js';

describe('dispatcher', () => {
  it('records exactly one outcome per call: crashed, dropped, abandoned, never a late second one', async () => {
    const { spec } = await simSpec({ calls: 4 });
    const [a, b, c, d] = [...createPlan(spec)];
    const answers = new Map<number, { resolve: (o: CallOutcome) => void; reject: (e: Error) => void }>();
    const outcomes: CallOutcome[] = [];
    const local: CallOutcome[] = [];
    const dispatcher = new Dispatcher({
      pool: { run: (task: CallTask) => new Promise((resolve, reject) => answers.set(task.job.index, { resolve, reject })) },
      onOutcome: (o) => outcomes.push(o),
      onLocalOutcome: (o) => local.push(o),
    });
    const started = [dispatcher.start(a!, 1000), dispatcher.start(b!, 1000), dispatcher.start(c!, 1000)];
    dispatcher.drop(d!, 1000, 300, 'queue_timeout');
    answers.get(a!.index)!.resolve({ index: a!.index, status: 'passed' } as CallOutcome);
    answers.get(b!.index)!.reject(new Error('worker exited with code 70'));
    await Promise.all(started.slice(0, 2));
    expect(dispatcher.active).toBe(1);
    dispatcher.abandonAll();
    // The pool being destroyed under the abandoned call, or the call answering late, adds nothing.
    answers.get(c!.index)!.resolve({ index: c!.index, status: 'passed' } as CallOutcome);
    await started[2];
    expect(outcomes.map((o) => [o.index, o.status, o.errorCode])).toEqual([
      [d!.index, 'dropped', undefined],
      [a!.index, 'passed', undefined],
      [b!.index, 'error', 'worker_crashed'],
      [c!.index, 'error', 'aborted'],
    ]);
    expect(local.map((o) => o.index)).toEqual([d!.index, b!.index, c!.index]);
  });
});

describe('results writer', () => {
  it('batches lines per event-loop turn, flushes on demand and keeps secrets out of run.json', async () => {
    const dir = tempDir();
    const { spec } = await simSpec();
    const secretSpec = { ...spec, llm: { apiKey: 'sk-live-123', requestTimeoutMs: 1000, judgeConcurrency: 1 } };
    const writer = new ResultsWriter(dir);
    writer.onBegin({ runId: 'r1', spec: secretSpec, outDir: dir, startedAtMs: Date.now(), intervalMs: 1000, threads: 1, settings: { calls: 20 } });
    const callsFile = path.join(dir, 'calls.jsonl');
    writer.onCallEnd({ index: 0 } as CallOutcome);
    writer.onCallEnd({ index: 1 } as CallOutcome);
    expect(readFileSync(callsFile, 'utf8')).toBe('');
    await new Promise((resolve) => setImmediate(resolve));
    expect(readFileSync(callsFile, 'utf8')).toBe('{"index":0}\n{"index":1}\n');
    writer.onCallEnd({ index: 2 } as CallOutcome);
    writer.flushSync();
    expect(readFileSync(callsFile, 'utf8').split('\n')).toHaveLength(4);
    writer.close();
    const runFile = readFileSync(path.join(dir, 'run.json'), 'utf8');
    expect(runFile).not.toContain('sk-live-123');
    expect(JSON.parse(runFile)).toMatchObject({ runId: 'r1', settings: { calls: 20 }, spec: { llm: { apiKey: '(secret)' } } });
  });
});
