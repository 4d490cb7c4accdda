/* Messages between the orchestrator (bench/run.ts) and the load workers (bench/load/worker.ts),
 * over the child_process IPC channel. Every command gets exactly one reply with the same id. */

/** One simulated tablet: a socket.io client on namespace /live. */
export interface TabletSpec {
  key: string;
  /** The product's JWT; the bare server ignores it. */
  token: string;
  meetingId: string;
  /** Records when pushed `input.submitted` events arrive (push latency). */
  observer?: boolean;
  /** Takes part in `step` and `burst` load. */
  submitter?: boolean;
  /** Votes on seeing `poll.opened`. */
  voter?: boolean;
}

export interface OpenCommand {
  op: 'open';
  url: string;
  tablets: TabletSpec[];
  /** Connections in flight at once in this worker. */
  concurrency: number;
  join: boolean;
  /** Per-socket timeout of the connect and of the join ack. */
  timeoutMs: number;
}
export interface OpenResult {
  opened: number;
  failed: number;
  errors: Record<string, number>;
  firstConnectAt: number;
  lastJoinAckAt: number;
  /** Join ack latencies (emit → ack) of the sockets that joined. */
  joinMs: number[];
  connectMs: number[];
}

export interface StepCommand {
  op: 'step';
  /** This worker's share of the offered rate, inputs per second. */
  rate: number;
  durationMs: number;
  /** After sending stops: wait at most this long for the outstanding acks. */
  drainCapMs: number;
  /** No ack for this long while some are outstanding: the server hangs. */
  hangMs: number;
}
export interface StepResult {
  sent: number;
  ok: number;
  errors: Record<string, number>;
  unanswered: number;
  /** Ack latencies (ms) of the inputs acked ok. */
  latencies: number[];
  /** Ok acks that arrived while the step was sending (throughput). */
  acksInWindow: number;
  startedAt: number;
  endedAt: number;
  lastAckAt: number;
  hang: boolean;
  /** inputId → when it was submitted (joined with the observers' `pushes` for push latency). */
  submitted: Record<string, number>;
}

/** The pushed `input.submitted` events the observers received since the last `pushes`. */
export interface PushesCommand {
  op: 'pushes';
}
export interface PushesResult {
  /** [inputId, when an observer received its push]. */
  seen: [string, number][];
}

export interface BurstCommand {
  op: 'burst';
  perTablet: number;
  timeoutMs: number;
  /** Each tablet sends its next input only after the previous one's ack (one in flight each). */
  sequential?: boolean;
  /** Stop waiting when no ack came for this long while some are outstanding (a hang). */
  hangMs?: number;
}
export interface BurstResult {
  sent: number;
  ok: number;
  errors: Record<string, number>;
  startedAt: number;
  lastAckAt: number;
  unanswered: number;
  hang: boolean;
}

export interface VoteAcksCommand {
  op: 'vote.acks';
  expected: number;
  timeoutMs: number;
}
export interface VoteAcksResult {
  voters: number;
  sent: number;
  ok: number;
  errors: Record<string, number>;
  latencies: number[];
  firstSentAt: number;
  lastAckAt: number;
}

export interface VoteFinishCommand {
  op: 'vote.finish';
  /** Wait until every voter has seen a tally with voted ≥ n. */
  n: number;
  waitMs: number;
}
export interface VoteFinishResult {
  /** Per voter: when it first saw voted ≥ n (null: never, within waitMs). */
  fullSeenAt: (number | null)[];
  /** Longest gap between two consecutive tallies at any voter of this worker. */
  maxGapMs: number;
  tallies: number[];
}

export interface RejoinCommand {
  op: 'rejoin';
  key: string;
  afterSeq: number;
  timeoutMs: number;
}
export interface RejoinResult {
  connectMs: number;
  joinMs: number;
  events: number;
  seq: number;
}

export interface SeqsCommand {
  op: 'seqs';
}
export type SeqsResult = Record<string, number>;

export interface CloseCommand {
  op: 'close';
  /** Only these tablets (they stay known, for a later rejoin); all and forget them when absent. */
  keys?: string[];
}
export interface CloseResult {
  closed: number;
}

/** Ends the running step, burst or vote waits early (a scenario hit its hard deadline). */
export interface AbortCommand {
  op: 'abort';
}

export type Command =
  | OpenCommand
  | StepCommand
  | BurstCommand
  | VoteAcksCommand
  | VoteFinishCommand
  | RejoinCommand
  | PushesCommand
  | SeqsCommand
  | CloseCommand
  | AbortCommand;

export interface Results {
  open: OpenResult;
  step: StepResult;
  burst: BurstResult;
  'vote.acks': VoteAcksResult;
  'vote.finish': VoteFinishResult;
  rejoin: RejoinResult;
  pushes: PushesResult;
  seqs: SeqsResult;
  close: CloseResult;
  abort: { aborted: true };
}

export interface Request {
  id: number;
  cmd: Command;
}
export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** The wire shape the load relies on (the product may slim `data`, or batch several events). */
export interface WireEvent {
  seq: number;
  type: string;
  data?: {
    pollId?: string;
    choices?: string[];
    voted?: number;
    counts?: Record<string, number>;
    inputId?: string;
  };
}
export interface WireAck<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message?: string };
}
