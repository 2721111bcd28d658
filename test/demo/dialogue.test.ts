/** The demo receptionist's script, its slots and its settings, without a network. */
import { describe, expect, it } from 'vitest';
import { Dialogue, OFFICE_HOURS } from '../../src/demo/dialogue.js';
import { demoOptions, parseFaultList } from '../../src/demo/options.js';
import { Slots } from '../../src/demo/slots.js';
import { replyPieces } from '../../src/demo/agent.js';

function talk(...lines: string[]): string[] {
  const dialogue = new Dialogue();
  return lines.map((line) => dialogue.reply(line).text);
}

describe('Dialogue', () => {
  it('books: date of birth first, then a slot, then confirmed', () => {
    const replies = talk("I'd like to book an appointment.", 'Tomorrow?', 'It is 4/12/1961.', 'No, that does not work.', 'Yes, Wednesday is fine.');
    expect(replies[0]).toMatch(/date of birth/);
    expect(replies[1]).toMatch(/I need your date of birth/);
    expect(replies[2]).toMatch(/Tuesday at 10:30 am/);
    expect(replies[3]).toMatch(/Wednesday at 3 pm/);
    expect(replies[4]).toMatch(/confirmed/);
  });

  it('takes the date of birth in the booking line itself, and in words', () => {
    expect(talk('Book an appointment for me, born 1961-04-12.')[0]).toMatch(/found your record/);
    expect(talk('I want to schedule a visit', 'April 12, 1961')[1]).toMatch(/found your record/);
  });

  it('refills: asks for the medication when it is not named, then the pharmacy', () => {
    const replies = talk('I need a prescription refill.', "It's atorvastatin.", 'Send it to the Rite Aid pharmacy on 5th.');
    expect(replies[0]).toMatch(/Which medication/);
    expect(replies[1]).toBe('Got it, atorvastatin. Which pharmacy should we send the refill to?');
    expect(replies[2]).toMatch(/refill of atorvastatin has been sent to Rite Aid pharmacy/);
  });

  it('tells the office hours, clarifies the unknown, and hangs up on goodbye', () => {
    const dialogue = new Dialogue();
    expect(dialogue.reply('When do you open?').text).toContain(OFFICE_HOURS);
    expect(dialogue.reply('Do you validate parking?').text).toMatch(/didn't quite catch that/);
    expect(dialogue.reply('Thanks, bye!')).toEqual({ text: 'Thank you for calling Maple Street Clinic. Goodbye!', hangup: true });
  });

  it('keeps each call’s state apart', () => {
    const first = new Dialogue();
    const second = new Dialogue();
    first.reply('I need to reschedule.');
    expect(second.reply('1961-04-12').text).toMatch(/didn't quite catch that/);
    expect(first.reply('1961-04-12').text).toMatch(/Thursday at 2 pm/);
  });
});

describe('Slots', () => {
  it('grants up to capacity at once, then in FIFO order, and drops aborted waiters', async () => {
    const slots = new Slots(1);
    const order: string[] = [];
    const first = await slots.acquire(new AbortController().signal);
    const gone = new AbortController();
    const waiting = [
      slots.acquire(new AbortController().signal).then((release) => (order.push('b'), release)),
      slots.acquire(gone.signal).then(() => order.push('aborted one ran')).catch(() => order.push('c gave up')),
      slots.acquire(new AbortController().signal).then((release) => (order.push('d'), release)),
    ];
    expect(slots.queued).toBe(3);
    gone.abort(new Error('caller left'));
    await Promise.resolve();
    expect(slots.queued).toBe(2);
    first();
    first();
    const b = await waiting[0];
    expect(slots.inUse).toBe(1);
    (b as () => void)();
    const d = await waiting[2];
    (d as () => void)();
    expect(order).toEqual(['c gave up', 'b', 'd']);
    expect(slots.inUse).toBe(0);
  });
});

describe('demo options', () => {
  it('parses the --faults list as percentages or fractions', () => {
    expect(parseFaultList('http_5xx=2%, rate_limited=0.01 ,drop=0.5%')).toEqual({ http_5xx: 0.02, rate_limited: 0.01, drop: 0.005 });
    expect(() => parseFaultList('boom=1%')).toThrow(/unknown fault "boom"/);
    expect(() => parseFaultList('hang=lots')).toThrow(/hang/);
  });

  it('refuses fault rates over 100% in total and a capacity below 1', () => {
    expect(() => demoOptions({ faults: { http_5xx: 0.6, drop: 0.6 } })).toThrow(/more than 100%/);
    expect(() => demoOptions({ capacity: 0 })).toThrow(/capacity/);
  });

  it('streams replies in pieces that join back to the reply', () => {
    const text = "We're open Monday to Friday, 8 am to 6 pm.";
    expect(replyPieces(text).join('')).toBe(text);
    expect(replyPieces(text).length).toBeGreaterThan(2);
  });
});
