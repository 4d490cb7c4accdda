/* One simulated tablet of a load worker: a socket.io client on /live that follows the live
 * protocol as far as the benchmark needs (lastSeq, pushes, voting on `poll.opened`). */
import { io, type Socket } from 'socket.io-client';
import { now } from '../lib/stats';
import type { TabletSpec, WireAck, WireEvent } from './protocol';

export interface VoteState {
  pollId: string;
  sentAt: number;
  /** 0 while unanswered. */
  answeredAt: number;
  ok: boolean;
  code: string | null;
  tallyAt: number[];
  tallyVoted: number[];
}

/** What a tablet reports to its worker as pushes arrive. */
export interface TabletHooks {
  onInputPush(inputId: string, at: number): void;
  onVoteAnswered(): void;
  onTally(): void;
}

/** An ack that never came within the timeout, or a socket that failed: as an error code. */
export const codeOf = (err: unknown, ack: WireAck<unknown> | undefined): string =>
  err ? 'TIMEOUT' : (ack?.error?.code ?? 'UNKNOWN');

export function connectSocket(url: string, token: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(`${url}/live`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
    });
    const timer = setTimeout(() => {
      s.close();
      reject(new Error('CONNECT_TIMEOUT'));
    }, timeoutMs + 1000);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('connect_error', (err: Error) => {
      clearTimeout(timer);
      s.close();
      reject(new Error(err.message || 'CONNECT_ERROR'));
    });
  });
}

export class Tablet {
  socket: Socket | null = null;
  lastSeq = 0;
  vote: VoteState | null = null;

  constructor(
    readonly spec: TabletSpec,
    /** Position among the worker's tablets (picks the vote choice). */
    readonly index: number,
    private readonly hooks: TabletHooks,
  ) {}

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  /** Connects; pushes are handled from the moment the socket exists. */
  async connect(url: string, timeoutMs: number): Promise<void> {
    const s = await connectSocket(url, this.spec.token, timeoutMs);
    s.on('meeting.events', (batch: { meetingId: string; events: WireEvent[] }) =>
      this.onEvents(batch.events),
    );
    this.socket = s;
  }

  /** `meeting.join`: resolves with the latency and the ack (throws a code when refused). */
  async join(timeoutMs: number, afterSeq?: number): Promise<{ ms: number; seq: number; events: number }> {
    const s = this.socket;
    if (!s) throw new Error('NOT_CONNECTED');
    const t0 = now();
    const ack = (await s
      .timeout(timeoutMs)
      .emitWithAck('meeting.join', {
        meetingId: this.spec.meetingId,
        ...(afterSeq === undefined ? {} : { afterSeq }),
      })
      .catch(() => null)) as WireAck<{ seq: number; events?: WireEvent[] }> | null;
    const ms = now() - t0;
    if (!ack) throw new Error('JOIN_TIMEOUT');
    if (!ack.ok || !ack.data) throw new Error(`JOIN_${ack.error?.code ?? 'UNKNOWN'}`);
    this.lastSeq = Math.max(this.lastSeq, ack.data.seq);
    return { ms, seq: ack.data.seq, events: ack.data.events?.length ?? -1 };
  }

  close(): void {
    this.socket?.removeAllListeners();
    this.socket?.close();
    this.socket = null;
  }

  private onEvents(events: WireEvent[]): void {
    const at = now();
    for (const e of events) {
      if (e.seq > this.lastSeq) this.lastSeq = e.seq;
      const d = e.data ?? {};
      if (e.type === 'input.submitted' && this.spec.observer && d.inputId)
        this.hooks.onInputPush(d.inputId, at);
      if (!this.spec.voter) continue;
      if (e.type === 'poll.opened' && d.pollId && d.choices && this.vote?.pollId !== d.pollId)
        this.castVote(d.pollId, d.choices);
      if (
        (e.type === 'poll.tally' || e.type === 'poll.closed') &&
        this.vote &&
        d.pollId === this.vote.pollId
      ) {
        this.vote.tallyAt.push(at);
        this.vote.tallyVoted.push(d.voted ?? 0);
        this.hooks.onTally();
      }
    }
  }

  private castVote(pollId: string, choices: string[]): void {
    const s = this.socket;
    if (!s) return;
    const vote: VoteState = {
      pollId,
      sentAt: now(),
      answeredAt: 0,
      ok: false,
      code: null,
      tallyAt: [],
      tallyVoted: [],
    };
    this.vote = vote;
    const choice = choices[this.index % choices.length];
    s.timeout(120_000).emit(
      'poll.vote',
      { pollId, choice, clientKey: `v-${this.spec.key}-${pollId.slice(0, 8)}` },
      (err: Error | null, ack?: WireAck<unknown>) => {
        vote.answeredAt = now();
        vote.ok = !err && ack?.ok === true;
        if (!vote.ok) vote.code = codeOf(err, ack);
        this.hooks.onVoteAnswered();
      },
    );
  }
}
