/**
 * The demo receptionist's script: a clinic front desk that books and reschedules
 * appointments, refills prescriptions and tells the office hours. It reacts to keywords in
 * the caller's line and remembers where each call stands, so a scenario's checks ("asks
 * for the date of birth", "confirmed") pass when the caller follows the script and fail
 * when they do not.
 */

export const CLINIC = 'Maple Street Clinic';
export const GREETING = `Thank you for calling ${CLINIC}, this is Ava. How can I help you today?`;
export const OFFICE_HOURS = "We're open Monday to Friday, 8 am to 6 pm.";

type Stage =
  | { readonly kind: 'idle' }
  | { readonly kind: 'booking-dob' }
  | { readonly kind: 'booking-slot' }
  | { readonly kind: 'reschedule-dob' }
  | { readonly kind: 'reschedule-slot' }
  | { readonly kind: 'refill-medication' }
  | { readonly kind: 'refill-pharmacy'; readonly medication: string };

export interface DialogueReply {
  readonly text: string;
  /** The receptionist ends the call after this line. */
  readonly hangup: boolean;
}

const MEDICATIONS = [
  'lisinopril', 'metformin', 'atorvastatin', 'amlodipine', 'levothyroxine', 'omeprazole', 'simvastatin',
  'losartan', 'albuterol', 'gabapentin', 'sertraline', 'metoprolol', 'insulin', 'amoxicillin', 'ibuprofen',
];
const MONTHS = /\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\b/;
const DATE = /\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/;
const YES = /\b(yes|yeah|yep|sure|ok|okay|works|perfect|great|fine|sounds good|that's good|please do|book it)\b/;
const NO = /\b(no|nope|doesn't work|does not work|can't|cannot|another)\b/;
const GOODBYE = /\b(bye|goodbye|that's all|that is all|nothing else|hang up)\b/;

function hasDate(text: string): boolean {
  return DATE.test(text) || (MONTHS.test(text) && /\d/.test(text));
}

function medicationIn(text: string): string | undefined {
  const known = MEDICATIONS.find((name) => text.includes(name));
  if (known) return known;
  return /\brefill (?:of|for) (?:my )?([a-z][a-z-]{2,})/.exec(text)?.[1];
}

function pharmacyIn(text: string): string {
  const named = /\b([a-z][\w'&-]*(?: [a-z][\w'&-]*)?) pharmacy\b/.exec(text)?.[1];
  const name = named ?? text.replace(/^(the|it's|its|at|to|use)\s+/g, '').replace(/[.!?]+$/, '').trim();
  const cleaned = name.replace(/^(the|my|at|to)\s+/, '');
  return cleaned.replace(/\b\w/g, (letter) => letter.toUpperCase()) || 'your usual';
}

/** One call's receptionist. */
export class Dialogue {
  private stage: Stage = { kind: 'idle' };

  reply(callerText: string): DialogueReply {
    const text = callerText.toLowerCase();
    const say = (line: string, hangup = false): DialogueReply => ({ text: line, hangup });
    const stage = this.stage;

    if (GOODBYE.test(text)) {
      this.stage = { kind: 'idle' };
      return say(`Thank you for calling ${CLINIC}. Goodbye!`, true);
    }
    switch (stage.kind) {
      case 'booking-dob':
      case 'reschedule-dob':
        if (!hasDate(text)) return say("Sorry, I need your date of birth to find your record. What's your date of birth?");
        if (stage.kind === 'booking-dob') {
          this.stage = { kind: 'booking-slot' };
          return say('Thank you, I found your record. I have Tuesday at 10:30 am with Dr. Patel. Does that work for you?');
        }
        this.stage = { kind: 'reschedule-slot' };
        return say('Thank you. I see your appointment on Monday at 9 am. I can move it to Thursday at 2 pm. Does that work?');
      case 'booking-slot':
      case 'reschedule-slot': {
        const when = stage.kind === 'booking-slot' ? 'Tuesday at 10:30 am with Dr. Patel' : 'Thursday at 2 pm';
        if (NO.test(text) && !YES.test(text)) return say('I also have Wednesday at 3 pm. Would that work instead?');
        if (YES.test(text) || /\b(tuesday|thursday|wednesday|morning|afternoon)\b/.test(text)) {
          this.stage = { kind: 'idle' };
          const verb = stage.kind === 'booking-slot' ? 'booked' : 'rescheduled';
          return say(`You're confirmed: ${verb} for ${when}. Is there anything else I can help you with?`);
        }
        return say(`Sorry, does ${when} work for you?`);
      }
      case 'refill-medication': {
        const medication = medicationIn(text);
        if (!medication) return say('Which medication do you need refilled?');
        this.stage = { kind: 'refill-pharmacy', medication };
        return say(`Got it, ${medication}. Which pharmacy should we send the refill to?`);
      }
      case 'refill-pharmacy': {
        const pharmacy = pharmacyIn(text);
        this.stage = { kind: 'idle' };
        return say(`Done: your refill of ${stage.medication} has been sent to ${pharmacy} pharmacy. It should be ready within 24 hours. Anything else?`);
      }
      case 'idle':
        return this.newRequest(text);
    }
  }

  private newRequest(text: string): DialogueReply {
    const say = (line: string): DialogueReply => ({ text: line, hangup: false });
    if (/\b(reschedul\w*|move my appointment|change my appointment)\b/.test(text)) {
      this.stage = { kind: 'reschedule-dob' };
      return say("Sure, I can help you reschedule. What's your date of birth?");
    }
    if (/\b(book|appointment|schedule|see the doctor|see a doctor)\b/.test(text)) {
      this.stage = hasDate(text) ? { kind: 'booking-slot' } : { kind: 'booking-dob' };
      return hasDate(text)
        ? say('Thank you, I found your record. I have Tuesday at 10:30 am with Dr. Patel. Does that work for you?')
        : say("I'd be happy to book an appointment. Can I have your date of birth, please?");
    }
    if (/\b(refill|prescription|medication|renew)\b/.test(text)) {
      const medication = medicationIn(text);
      if (!medication) {
        this.stage = { kind: 'refill-medication' };
        return say('I can help with a prescription refill. Which medication is it for?');
      }
      this.stage = { kind: 'refill-pharmacy', medication };
      return say(`I can help with a refill of ${medication}. Which pharmacy should we send it to?`);
    }
    if (/\b(hours|open|close|closing|opening)\b/.test(text)) return say(`${OFFICE_HOURS} Anything else?`);
    return say(
      "Sorry, I didn't quite catch that. I can book or reschedule an appointment, refill a prescription, or tell you our office hours. What would you like to do?",
    );
  }
}
