import type { Ack, ErrorBody, JoinResult, LiveEvent, MeetingSnapshot } from '@liexi/contracts';
import type { Outbox, OutboxEntry } from './outbox';
import { realTimers, RETRYABLE, type Timers, type Wire } from './wire';

/** What the tablet's connection badge shows. */
export type LinkState = 'connecting' | 'joining' | 'live' | 'offline';

export interface LiveHandlers {
  snapshot: (s: MeetingSnapshot) => void;
  events: (events: LiveEvent[]) => void;
  link: (state: LinkState) => void;
  /** The outbox changed (an entry added, acked or refused). */
  outbox: (entries: readonly OutboxEntry[]) => void;
  acked?: (entry: OutboxEntry, data: unknown) => void;
  refused?: (entry: OutboxEntry, error: ErrorBody) => void;
}

const ACK_TIMEOUT_MS = 10_000;
const RETRY_MS = [500, 1000, 2000, 4000];

/**
 * The README's client algorithm, for one meeting:
 * 1. keep `lastSeq`;
 * 2. listen to `meeting.events` before joining, buffer pushes until the join ack;
 * 3. apply the ack (snapshot or events), set `lastSeq = ack.seq`, apply buffered pushes above it;
 * 4. drop events with `seq ≤ lastSeq`; on a gap or after a reconnect rejoin with `afterSeq: lastSeq`;
 * 5. every write goes through the outbox (local storage) and is sent again with the same
 *    clientKey until acked; a retryable refusal (UNAVAILABLE, RATE_LIMITED) waits and retries.
 */
export class LiveClient {
  lastSeq: number | null = null;
  private joining = false;
  private joinRound = 0;
  private buffer: LiveEvent[] = [];
  private flushing = false;
  private retryTimer: unknown = null;
  private joinTimer: unknown = null;
  private failures = 0;
  private stopped = false;
  private state: LinkState = 'connecting';

  constructor(
    private readonly wire: Wire,
    private readonly meetingId: string,
    private readonly outbox: Outbox,
    private readonly on: LiveHandlers,
    private readonly timers: Timers = realTimers,
  ) {}

  start(): void {
    this.wire.onPush('meeting.events', (batch) =>
      this.onPush(batch as { meetingId: string; events: LiveEvent[] }),
    );
    this.wire.onConnect(() => void this.join());
    this.wire.onDisconnect(() => {
      this.joining = false;
      this.joinRound++;
      this.setLink('offline');
    });
    this.on.outbox(this.outbox.list());
    if (this.wire.connected) void this.join();
  }

  stop(): void {
    this.stopped = true;
    this.timers.clearTimeout(this.retryTimer);
    this.timers.clearTimeout(this.joinTimer);
  }

  get link(): LinkState {
    return this.state;
  }

  private setLink(state: LinkState): void {
    if (state === this.state) return;
    this.state = state;
    this.on.link(state);
  }

  /** Joins (or rejoins after `lastSeq`); pushes that arrive meanwhile wait in the buffer. */
  async join(): Promise<void> {
    if (this.stopped || !this.wire.connected) return;
    const round = ++this.joinRound;
    this.joining = true;
    this.buffer = [];
    this.setLink('joining');
    const req = { meetingId: this.meetingId, ...(this.lastSeq !== null ? { afterSeq: this.lastSeq } : {}) };
    let ack: Ack<JoinResult>;
    try {
      ack = await this.wire.request<JoinResult>('meeting.join', req, ACK_TIMEOUT_MS);
    } catch {
      if (round === this.joinRound) this.retryJoin();
      return;
    }
    if (round !== this.joinRound || this.stopped) return;
    if (!ack.ok) {
      this.joining = false;
      if (RETRYABLE.has(ack.error.code)) this.retryJoin();
      else this.setLink('offline');
      return;
    }
    const result = ack.data;
    if (result.snapshot) this.on.snapshot(result.snapshot);
    else {
      const after = this.lastSeq ?? 0;
      const fresh = result.events.filter((e) => e.seq > after).sort((a, b) => a.seq - b.seq);
      if (fresh.length) this.on.events(fresh);
    }
    this.lastSeq = result.seq;
    this.joining = false;
    const buffered = this.buffer;
    this.buffer = [];
    this.setLink('live');
    this.apply(buffered);
    void this.flush();
  }

  private retryJoin(): void {
    this.timers.clearTimeout(this.joinTimer);
    this.joinTimer = this.timers.setTimeout(() => void this.join(), 1000);
  }

  private onPush(batch: { meetingId: string; events: LiveEvent[] }): void {
    if (batch.meetingId !== this.meetingId) return;
    if (this.joining) this.buffer.push(...batch.events);
    else this.apply(batch.events);
  }

  /** Applies events in seq order: drops seq ≤ lastSeq; a gap makes it rejoin after lastSeq. */
  private apply(events: readonly LiveEvent[]): void {
    if (this.lastSeq === null || events.length === 0) return;
    const fresh: LiveEvent[] = [];
    let gap = false;
    for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
      if (e.seq <= this.lastSeq) continue;
      if (e.seq > this.lastSeq + 1) {
        gap = true;
        break;
      }
      fresh.push(e);
      this.lastSeq = e.seq;
    }
    if (fresh.length) this.on.events(fresh);
    if (gap) void this.join();
  }

  /** Queues a write (kept until acked) and sends it when the meeting is joined. */
  send(event: string, payload: Record<string, unknown>, key: string): OutboxEntry {
    const entry: OutboxEntry = { key, event, payload, createdAt: new Date().toISOString() };
    this.outbox.add(entry);
    this.on.outbox(this.outbox.list());
    void this.flush();
    return entry;
  }

  /**
   * A console command sent once, not queued: `agenda.advance` or `speaker.next` carry no
   * clientKey, so a retry after a lost ack could act twice. The caller shows the outcome.
   */
  async command<T>(event: string, payload: Record<string, unknown>): Promise<Ack<T>> {
    if (this.state !== 'live' || !this.wire.connected)
      return { ok: false, error: { code: 'UNAVAILABLE', message: 'not connected' } };
    try {
      return await this.wire.request<T>(event, payload, ACK_TIMEOUT_MS);
    } catch {
      return {
        ok: false,
        error: { code: 'UNAVAILABLE', message: 'no answer (the connection may have dropped)' },
      };
    }
  }

  /** Forgets a refused entry (the attendee read why, and copied the text if they want it). */
  dismiss(key: string): void {
    this.outbox.remove(key);
    this.on.outbox(this.outbox.list());
  }

  /** Sends the outbox one entry at a time, oldest first, while the meeting is joined. */
  async flush(): Promise<void> {
    if (this.flushing || this.stopped) return;
    this.flushing = true;
    try {
      for (;;) {
        if (this.state !== 'live' || !this.wire.connected) return;
        const entry = this.outbox.pending()[0];
        if (!entry) return;
        let ack: Ack<unknown>;
        try {
          ack = await this.wire.request(entry.event, entry.payload, ACK_TIMEOUT_MS);
        } catch {
          // No ack (timeout or the connection dropped): it is sent again with the same clientKey.
          this.scheduleRetry();
          return;
        }
        if (ack.ok) {
          this.failures = 0;
          this.outbox.remove(entry.key);
          this.on.outbox(this.outbox.list());
          this.on.acked?.(entry, ack.data);
        } else if (RETRYABLE.has(ack.error.code)) {
          this.scheduleRetry();
          return;
        } else {
          this.outbox.fail(entry.key, ack.error);
          this.on.outbox(this.outbox.list());
          this.on.refused?.(entry, ack.error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private scheduleRetry(): void {
    const ms = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)] ?? 4000;
    this.failures++;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = this.timers.setTimeout(() => void this.flush(), ms);
  }
}
