/**
 * The commented starter spec `loadspec init` writes. It runs as is against the bundled demo
 * receptionist, and every section says what to change for a real receptionist.
 */
export function starterSpec(schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}
# A loadspec spec: who calls your receptionist, how many at once, and what must hold.
# Check it with \`loadspec validate\`, preview it with \`loadspec plan\`, run it with \`loadspec run\`.
# Durations take a unit (250ms, 1.5s, 3m), rates are calls per time (5/s, 30/min), percentages use %.
version: 1
name: my-receptionist
description: A first load test. Twenty callers book appointments and ask for opening hours.

target:
  driver: websocket            # sim | http | websocket
  url: builtin                 # the bundled demo receptionist; or your agent, e.g. wss://agent.example.com/ws
  # headers: { authorization: "Bearer \${AGENT_TOKEN}" }   # \${VAR} reads the environment

load:
  calls: 20                    # total calls to place
  concurrency: 10              # never more than this many at once
  pacing: 2/s                  # one constant rate; or phases: [{ duration: 30s, pacing: 1/s, rampTo: 10/s }]
  queue: { maxWait: 10s }      # an arrival waits this long for a free line, then counts as dropped
  seed: 1                      # same spec + same seed = the same calls

personas:
  fields:                      # or: from: personas.csv (the header row names the fields)
    firstName: [Maria, James, Aiko, Tomasz]
    dob: { date: [1950-01-01, 2000-12-31] }
  traits:
    patience: { between: [5s, 15s] }   # a caller hangs up when one answer takes longer

scenarios:
  - name: booking
    weight: 3                  # three booking calls for every office-hours call
    turns:
      - say: "Hi, this is {{persona.firstName}}. I'd like to book an appointment."
        expect: { matches: "(?i)date of birth", within: 3s }
      - say: "It's {{persona.dob}}."
        pause: 1s              # the caller thinks before speaking
      - say: "Tuesday works, thanks."
        expect: { contains: confirmed }
  - name: office-hours
    weight: 1
    turns:
      - say: "When are you open?"
        expect: { contains: open }

thresholds:                    # the run fails (exit 1) when one of these does not hold
  failure_rate: "< 5%"
  drop_rate: "< 1%"
  response_time: ["p95 < 1500ms", "avg < 800ms"]
`;
}
