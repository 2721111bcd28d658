/** `loadspec demo` through the real CLI: prints its URL, serves, stops on Ctrl-C. */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'loadspec.js');

describe('loadspec demo', () => {
  it('prints its URL first, answers on it, and stops on SIGINT with its counters', async () => {
    const child = spawn(process.execPath, [bin, 'demo', '--port', '0', '--latency', '10ms', '--capacity', '3', '--faults', 'garbage=0%'], { cwd: root });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(first)?.[0];
      expect(url).toBeDefined();
      expect(await (await fetch(`${url}/`)).json()).toMatchObject({ name: 'loadspec demo receptionist' });
      const created = await fetch(`${url}/calls`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(created.status).toBe(201);
      const { callId } = (await created.json()) as { callId: string };
      const turn = await fetch(`${url}/calls/${callId}/turns`, { method: 'POST', body: JSON.stringify({ text: 'When are you open?' }) });
      expect(await turn.json()).toEqual({ reply: "We're open Monday to Friday, 8 am to 6 pm. Anything else?", hangup: false });
      expect((await fetch(`${url}/calls/${callId}`, { method: 'DELETE' })).status).toBe(204);
      expect((await fetch(`${url}/calls/${callId}`, { method: 'DELETE' })).status).toBe(404);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output).toMatch(/capacity 3/);
      expect(output).toMatch(/stopped: 1 calls begun, 1 ended, 1 turns/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('stops cleanly on a signal sent the moment its banner arrives', () => {
    // A script starts the demo, waits for the banner and stops it at once; the signal must
    // find the listener already there, or it kills the process without its counters. The
    // script runs in a process of its own, idle but for this, so it signals as fast as a
    // real script would.
    const script = `
      const { spawn } = require('node:child_process');
      const results = [];
      const once = (signal) => new Promise((resolve) => {
        const child = spawn(process.execPath, [${JSON.stringify(bin)}, 'demo', '--port', '0']);
        let out = '';
        child.stdout.on('data', (chunk) => {
          const had = out.includes('Ctrl-C stops it.');
          out += chunk;
          if (!had && out.includes('Ctrl-C stops it.')) child.kill(signal);
        });
        child.on('exit', (code, sig) => resolve({ code, sig, stopped: out.includes('demo receptionist stopped') }));
      });
      (async () => {
        for (const signal of ['SIGINT', 'SIGTERM', 'SIGINT', 'SIGTERM']) results.push(await once(signal));
        process.stdout.write(JSON.stringify(results));
      })();`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    expect(JSON.parse(result.stdout)).toEqual(Array(4).fill({ code: 0, sig: null, stopped: true }));
  });

  it('refuses a bad fault list with a usage error (exit 2)', () => {
    const result = spawnSync(process.execPath, [bin, 'demo', '--faults', 'meltdown=5%'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown fault "meltdown"/);
  });
});
