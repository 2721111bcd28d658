/**
 * A planned call: everything a worker needs to place it, as plain data. The plan is a
 * lazy stream of these (see plan/), so a million planned calls cost no memory up front.
 */
export interface Persona {
  /** Stable id within the run, e.g. `p-000042`. */
  readonly id: string;
  /** Field values, as strings, ready for templates (`{{persona.firstName}}`). */
  readonly fields: Readonly<Record<string, string>>;
  /** Drawn from traits.patience; the caller hangs up when one reply takes longer. */
  readonly patienceMs?: number;
  /** Value of personas.segmentBy, bounded in cardinality; metrics are cut by it. */
  readonly segment?: string;
}

export interface CallJob {
  /** 0-based position in the plan; the same spec and seed always give the same job here. */
  readonly index: number;
  /** `c-000042`; unique within a run (shards prefix their index). */
  readonly id: string;
  readonly scenarioIndex: number;
  readonly scenario: string;
  readonly variantIndex: number;
  readonly variant: string;
  readonly persona: Persona;
  /** Arrival time as an offset from the run's start, in ms. */
  readonly dueOffsetMs: number;
  /** Seed for everything random inside this call (sim latencies, jitter), from the run seed. */
  readonly callSeed: number;
}
