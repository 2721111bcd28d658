/**
 * The real http and websocket drivers against the real demo receptionist on 127.0.0.1:
 * the scripted dialogue, streaming modes and their timings, and that every call the demo
 * saw begin also ended.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpDriver } from '../../src/drivers/http.js';
import { WebSocketDriver } from '../../src/drivers/websocket.js';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import { httpTarget, makeJob, playCall, wsTarget } from '../support/driver-fixture.js';

const BOOKING = ["Hi, this is Maria, I'd like to book an appointment.", "It's 1961-04-12.", 'Tuesday morning works.', 'No, that is all. Goodbye.'];

let demo: DemoServer;
const http = new HttpDriver();
const ws = new WebSocketDriver();

beforeAll(async () => {
  demo = await startDemoServer({ latencyMs: 20, jitterMs: 0, streamGapMs: 5 });
});
afterAll(async () => {
  await Promise.all([http.close(), ws.close()]);
  await demo.close();
});
afterEach(() => {
  // Hung-up calls leave nothing behind in the driver.
  expect(ws.openSockets).toBe(0);
  const stats = demo.stats();
  expect(stats.callsEnded).toBe(stats.callsBegun);
  expect(stats.active).toBe(0);
});

describe.each([
  ['http', () => playCall(http, httpTarget(demo.url), BOOKING)],
  ['http sse', () => playCall(http, httpTarget(demo.url, { turn: { ...httpTarget('').turn, stream: 'sse', reply: '/delta' } }), BOOKING)],
  ['http chunked', () => playCall(http, httpTarget(demo.url, { turn: { ...httpTarget('').turn, stream: 'chunked', reply: '/delta' } }), BOOKING)],
  ['websocket', () => playCall(ws, wsTarget(demo.wsUrl), BOOKING)],
])('%s against the demo receptionist', (_name, play) => {
  it('books an appointment by the script and the agent ends the call', async () => {
    const call = await play();
    expect(call.error).toBeUndefined();
    const texts = call.replies.map((reply) => reply.text);
    expect(texts[0]).toMatch(/date of birth/i);
    expect(texts[1]).toMatch(/Tuesday at 10:30 am/);
    expect(texts[2]).toMatch(/confirmed/);
    expect(texts[3]).toMatch(/goodbye/i);
    expect(call.replies.map((reply) => reply.agentHungUp)).toEqual([false, false, false, true]);
    for (const reply of call.replies) {
      expect(reply.firstByteAtMs).toBeGreaterThanOrEqual(reply.sentAtMs);
      expect(reply.endAtMs).toBeGreaterThanOrEqual(reply.firstByteAtMs);
      // The demo's latency (20 ms) is the floor of every response.
      expect(reply.firstByteAtMs - reply.sentAtMs).toBeGreaterThanOrEqual(15);
    }
  });
});

describe('streamed replies', () => {
  it('time the first piece apart from the end of the reply (sse)', async () => {
    const target = httpTarget(demo.url, { turn: { ...httpTarget('').turn, stream: 'sse', reply: '/delta' } });
    const call = await playCall(http, target, ['What are your office hours?']);
    const [reply] = call.replies;
    expect(reply?.text).toBe("We're open Monday to Friday, 8 am to 6 pm. Anything else?");
    // Five pieces with 5 ms between them: the end comes well after the first byte.
    expect(reply!.endAtMs - reply!.firstByteAtMs).toBeGreaterThanOrEqual(10);
  });

  it('joins websocket chunks until the end marker', async () => {
    const call = await playCall(ws, wsTarget(demo.wsUrl), ['I need a refill of metformin.', 'The Walgreens pharmacy on Main Street.']);
    expect(call.replies[0]?.text).toBe('I can help with a refill of metformin. Which pharmacy should we send it to?');
    expect(call.replies[1]?.text).toMatch(/refill of metformin has been sent to Walgreens pharmacy/);
    expect(call.replies[1]!.endAtMs).toBeGreaterThan(call.replies[1]!.firstByteAtMs);
  });
});

describe('templating', () => {
  it('renders persona fields into turn text and the start body', async () => {
    const target = httpTarget(demo.url, { turn: { ...httpTarget('').turn, body: { text: 'My date of birth is {{persona.dob}} and I want to book.' } } });
    const call = await playCall(http, target, ['ignored: the body template decides'], makeJob(3, { firstName: 'Aiko', dob: '1975-09-30' }));
    expect(call.replies[0]?.text).toMatch(/Tuesday at 10:30 am/);
    expect(call.remoteId).toMatch(/^call-/);
  });
});

describe('the dialogue', () => {
  it('asks to clarify what it does not understand, and tells the hours', async () => {
    const call = await playCall(ws, wsTarget(demo.wsUrl), ['Do you sell bicycles?', 'When are you open?']);
    expect(call.replies[0]?.text).toMatch(/didn't quite catch that/);
    expect(call.replies[1]?.text).toMatch(/Monday to Friday, 8 am to 6 pm/);
  });

  it('reschedules after the date of birth', async () => {
    const call = await playCall(http, httpTarget(demo.url), ['I need to reschedule my appointment.', 'March 3, 1980.', 'Yes, that works.']);
    expect(call.replies.map((reply) => reply.text)).toEqual([
      "Sure, I can help you reschedule. What's your date of birth?",
      'Thank you. I see your appointment on Monday at 9 am. I can move it to Thursday at 2 pm. Does that work?',
      "You're confirmed: rescheduled for Thursday at 2 pm. Is there anything else I can help you with?",
    ]);
  });
});
