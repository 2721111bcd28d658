/**
 * `url: builtin`: the runner's hook starts the demo receptionist in a child process on a
 * free port, points every builtin target at it in a new frozen spec, and stops it again.
 * Runs the compiled dist/demo/main.js, as the runner does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchDemoProcess } from '../../src/demo/launch.js';
import { HttpDriver } from '../../src/drivers/http.js';
import { WebSocketDriver } from '../../src/drivers/websocket.js';
import { prepareTarget } from '../../src/run/prepare-target.js';
import type { HttpTargetSpec, Spec, WebSocketTargetSpec } from '../../src/spec/types.js';
import { makeSpec, makeVariant } from '../support/spec-fixture.js';
import { httpTarget, playCall, wsTarget } from '../support/driver-fixture.js';

const http = new HttpDriver();
const ws = new WebSocketDriver();
const dir = mkdtempSync(path.join(tmpdir(), 'loadspec-launch-'));
afterAll(async () => {
  await Promise.all([http.close(), ws.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch {
    return true;
  }
}

describe('prepareTarget with url: builtin', () => {
  it('starts one demo per distinct demo settings, rewrites the URLs, and stops them', async () => {
    const httpBuiltin = httpTarget('builtin');
    const wsBuiltin = wsTarget('builtin');
    const slower = httpTarget('builtin', { demo: { ...httpBuiltin.demo, latencyMs: 40 } });
    const spec: Spec = makeSpec({
      target: httpBuiltin,
      variants: [makeVariant('a', 1, httpBuiltin), makeVariant('b', 1, wsBuiltin), makeVariant('c', 1, slower)],
    });
    const prepared = await prepareTarget(spec);
    try {
      const [a, b, c] = prepared.spec.variants.map((variant) => variant.target) as [HttpTargetSpec, WebSocketTargetSpec, HttpTargetSpec];
      expect((prepared.spec.target as HttpTargetSpec).url).toBe(a.url);
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(b.url).toBe(`${a.url.replace('http:', 'ws:')}/ws`);
      expect(c.url).not.toBe(a.url);
      expect(Object.isFrozen(prepared.spec)).toBe(true);
      expect(Object.isFrozen(prepared.spec.variants[1]!.target)).toBe(true);
      // The input spec is left as it was.
      expect((spec.variants[0]!.target as HttpTargetSpec).url).toBe('builtin');

      const overHttp = await playCall(http, a, ['What are your hours?']);
      expect(overHttp.replies[0]?.text).toMatch(/Monday to Friday/);
      const overWs = await playCall(ws, b, ['What are your hours?']);
      expect(overWs.replies[0]?.text).toMatch(/Monday to Friday/);
      const stats = (await (await fetch(`${a.url}/stats`)).json()) as { callsBegun: number; callsEnded: number };
      expect(stats.callsBegun).toBe(2);
      await prepared.stop();
      expect(await refused(`${a.url}/stats`)).toBe(true);
      expect(await refused(`${c.url}/stats`)).toBe(true);
    } finally {
      await prepared.stop();
    }
  });

  it('leaves specs without a builtin target alone', async () => {
    const spec = makeSpec({ target: httpTarget('http://127.0.0.1:9') });
    const prepared = await prepareTarget(spec);
    expect(prepared.spec).toBe(spec);
    await prepared.stop();
  });
});

describe('launchDemoProcess', () => {
  it('reports LOADSPEC_DEMO_START_FAILED with the reason when the demo cannot start', async () => {
    await expect(launchDemoProcess({}, path.join(dir, 'missing.js'))).rejects.toMatchObject({ code: 'LOADSPEC_DEMO_START_FAILED' });
    const crashing = path.join(dir, 'crash.mjs');
    writeFileSync(crashing, "process.stderr.write('port exploded\\n'); process.exit(1);\n");
    await expect(launchDemoProcess({}, crashing)).rejects.toMatchObject({ code: 'LOADSPEC_DEMO_START_FAILED', message: expect.stringMatching(/port exploded/) });
    const chatty = path.join(dir, 'chatty.mjs');
    writeFileSync(chatty, "console.log('hello there'); setTimeout(() => {}, 60000);\n");
    await expect(launchDemoProcess({}, chatty)).rejects.toMatchObject({ code: 'LOADSPEC_DEMO_START_FAILED' });
  });

  it('hands back the final counters when stopped', async () => {
    const demo = await launchDemoProcess({ latencyMs: 5 });
    await playCall(http, httpTarget(demo.url), ['Hi, I need a refill of metformin.']);
    const stats = await demo.stop();
    expect(stats).toMatchObject({ callsBegun: 1, callsEnded: 1, turns: 1 });
  });
});
