/* Scales of the scenarios: the full benchmark, and the smoke (tiny, 1 round, < 60 s). */

export const SCENARIOS = [
  'memory',
  'input',
  'one-meeting',
  'plenary-join',
  'plenary-vote',
  'resume',
  'in-flight',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface SteppedScale {
  meetings: number;
  tabletsPerMeeting: number;
  /** Offered rates, inputs per second in total. */
  rates: number[];
  stepMs: number;
  drainCapMs: number;
  hangMs: number;
  /** Stop a server's steps after this many consecutive steps below 95 % acked within 1 s. */
  maxFailingSteps: number;
  /** Observer tablets (push latency) per worker and meeting; they do not submit. */
  observersPerWorker: number;
}

export interface BenchConfig {
  smoke: boolean;
  /** One server per kind for all the scenarios of a round (smoke: saves the boots), instead of a
   * fresh process and database per scenario; a server that failed a scenario is replaced. */
  shareServers: boolean;
  rounds: number;
  workers: number;
  /** Sockets one worker connects at once. */
  connectConcurrency: number;
  input: SteppedScale;
  oneMeeting: SteppedScale;
  plenary: { tablets: number; voteTimeoutMs: number; tallyWaitMs: number };
  /** Producers submit one input at a time each: few enough not to exhaust the product's pool. */
  resume: { producers: number; events: number; tries: number };
  inflight: {
    meetings: number;
    tabletsPerMeeting: number;
    perTablet: number;
    deadlineMs: number;
    /** No ack for this long while some are outstanding: a hang, the burst's wait ends early. */
    hangMs: number;
    healthEveryMs: number;
  };
  memory: { tablets: number; warmup: number; settleMs: number };
  /** Hard deadline of one scenario against one server. */
  deadlineMs: Record<ScenarioName, number>;
}

const RATES = [25, 50, 100, 150, 200, 300, 400, 600];

export function benchConfig(opts: { smoke: boolean; rounds?: number; workers?: number }): BenchConfig {
  if (opts.smoke) {
    const stepped = (meetings: number, per: number, observers: number): SteppedScale => ({
      meetings,
      tabletsPerMeeting: per,
      rates: [10, 40],
      stepMs: 1000,
      drainCapMs: 3000,
      hangMs: 3000,
      maxFailingSteps: 2,
      observersPerWorker: observers,
    });
    return {
      smoke: true,
      shareServers: true,
      rounds: opts.rounds ?? 1,
      workers: opts.workers ?? 2,
      connectConcurrency: 20,
      input: stepped(2, 5, 0),
      oneMeeting: stepped(1, 12, 1),
      plenary: { tablets: 20, voteTimeoutMs: 10_000, tallyWaitMs: 3000 },
      resume: { producers: 5, events: 50, tries: 3 },
      inflight: {
        meetings: 2,
        tabletsPerMeeting: 3,
        perTablet: 2,
        deadlineMs: 10_000,
        hangMs: 3000,
        healthEveryMs: 100,
      },
      memory: { tablets: 20, warmup: 5, settleMs: 300 },
      deadlineMs: {
        memory: 30_000,
        input: 40_000,
        'one-meeting': 40_000,
        'plenary-join': 30_000,
        'plenary-vote': 40_000,
        resume: 30_000,
        'in-flight': 30_000,
      },
    };
  }
  const stepped = (meetings: number, per: number, observers: number): SteppedScale => ({
    meetings,
    tabletsPerMeeting: per,
    rates: RATES,
    stepMs: 5000,
    drainCapMs: 20_000,
    hangMs: 10_000,
    maxFailingSteps: 2,
    observersPerWorker: observers,
  });
  return {
    smoke: false,
    shareServers: false,
    rounds: opts.rounds ?? 3,
    workers: opts.workers ?? 3,
    connectConcurrency: 100,
    input: stepped(10, 50, 0),
    oneMeeting: stepped(1, 500, 1),
    plenary: { tablets: 3000, voteTimeoutMs: 120_000, tallyWaitMs: 15_000 },
    resume: { producers: 5, events: 1000, tries: 20 },
    inflight: {
      meetings: 6,
      tabletsPerMeeting: 10,
      perTablet: 10,
      deadlineMs: 60_000,
      hangMs: 10_000,
      healthEveryMs: 100,
    },
    memory: { tablets: 1000, warmup: 50, settleMs: 3000 },
    deadlineMs: {
      memory: 180_000,
      input: 480_000,
      'one-meeting': 480_000,
      'plenary-join': 300_000,
      'plenary-vote': 420_000,
      resume: 300_000,
      'in-flight': 180_000,
    },
  };
}

/** The most sockets one server holds at once (for the open-files check). */
export function maxSockets(cfg: BenchConfig, only: readonly ScenarioName[]): number {
  const per: Record<ScenarioName, number> = {
    memory: cfg.memory.tablets,
    input: cfg.input.meetings * cfg.input.tabletsPerMeeting,
    'one-meeting': cfg.oneMeeting.tabletsPerMeeting,
    'plenary-join': cfg.plenary.tablets,
    'plenary-vote': cfg.plenary.tablets,
    resume: cfg.resume.producers + cfg.resume.tries,
    'in-flight': cfg.inflight.meetings * cfg.inflight.tabletsPerMeeting,
  };
  return Math.max(...only.map((s) => per[s]));
}
