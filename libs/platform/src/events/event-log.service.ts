import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { LiveEvent, LiveEventData, LiveEventType } from '@liexi/contracts';
import { Subject } from 'rxjs';
import { Db } from '../database/db.service';
import { PublishedStreams } from './published-streams';

export interface StreamEvent {
  stream: string;
  event: LiveEvent;
}

/** One event to append: its data, or a builder given the seq it gets (e.g. to carry its own seq). */
export interface NewEvent<T extends LiveEventType = LiveEventType> {
  type: T;
  data: LiveEventData[T] | ((seq: number) => LiveEventData[T]);
}

/** The PostgreSQL NOTIFY channel on which every committed append is announced to every node. */
export const EVENT_CHANNEL = 'liexi_events';

export const meetingStream = (meetingId: string): string => `meeting:${meetingId}`;

/** The last events of each followed stream kept in memory, for the catch-up of a client that rejoins. */
export const RECENT_EVENTS = 1000;
/** Appended here, not yet known to be committed: kept until its NOTIFY or commit hook, at most this long. */
const LOCAL_TTL_MS = 60_000;

/**
 * The per-stream event log. `append` takes the next sequence numbers under the stream row's
 * lock, in the running transaction: an appender waits until the previous one commits or rolls
 * back, so committed seqs have no gaps and commit in seq order.
 *
 * Publication: every append also NOTIFYs `stream|lastSeq|appendId` (delivered only on commit),
 * so every node, this one included, learns of every committed append. Each stream publishes on
 * its own chain, in seq order and once per node; events appended on this node are published
 * from memory (whether the NOTIFY or the commit hook comes first), others are read back from
 * the log. When the listener reconnects it catches every followed stream up from the log.
 */
@Injectable()
export class EventLogService {
  private readonly logger = new Logger('EventLog');
  /** Ordered, gap-free feed of committed events for the broadcasters of this node. */
  readonly published = new Subject<StreamEvent>();
  private readonly streams = new PublishedStreams();
  /** Appends of this node by append id, with when they were made (insertion order = age). */
  private readonly local = new Map<string, { stream: string; events: LiveEvent[]; at: number }>();
  /** The last RECENT_EVENTS published events of each stream followed on this node, in seq order. */
  private readonly recent = new Map<string, LiveEvent[]>();
  private readonly nodeTag = randomBytes(4).toString('hex');
  private appendCounter = 0;

  constructor(private readonly db: Db) {}

  /** Appends one event in the running transaction (or a transaction of its own). */
  async append<T extends LiveEventType>(
    stream: string,
    type: T,
    data: LiveEventData[T] | ((seq: number) => LiveEventData[T]),
  ): Promise<LiveEvent<T>> {
    const [event] = await this.appendMany(stream, [{ type, data }]);
    return event as LiveEvent<T>;
  }

  /** Appends several events to one stream with one seq reservation and one multi-row insert. */
  appendMany(stream: string, items: NewEvent[]): Promise<LiveEvent[]> {
    if (items.length === 0) return Promise.resolve([]);
    return this.db.transaction(async () => {
      const appendId = `${this.nodeTag}${(this.appendCounter++).toString(36)}`;
      const at = new Date();
      const event = (item: NewEvent, seq: number): LiveEvent => ({
        seq,
        type: item.type,
        at: at.toISOString(),
        data: typeof item.data === 'function' ? item.data(seq) : item.data,
      });
      let last: number;
      let events: LiveEvent[];
      if (items.every((item) => typeof item.data !== 'function')) {
        // Data known up front: the seqs, the rows and the announcement in one statement.
        const rows = await this.db.query<{ last_seq: string }>(
          `WITH s AS (
             INSERT INTO event_stream (stream, last_seq) VALUES ($1, $2)
             ON CONFLICT (stream) DO UPDATE SET last_seq = event_stream.last_seq + $2
             RETURNING last_seq
           ), ins AS (
             INSERT INTO event_log (stream, seq, type, at, data)
             SELECT $1, s.last_seq - $2 + x.n, x.t, $4, x.d
             FROM s, unnest($3::text[], $5::jsonb[]) WITH ORDINALITY AS x(t, d, n)
           )
           SELECT last_seq, pg_notify('${EVENT_CHANNEL}', $1 || '|' || last_seq || '|' || $6) FROM s`,
          [
            stream,
            items.length,
            items.map((item) => item.type),
            at,
            items.map((item) => JSON.stringify(item.data)),
            appendId,
          ],
        );
        last = Number(rows[0]?.last_seq);
        events = items.map((item, i) => event(item, last - items.length + 1 + i));
      } else {
        // Data built from its seq: reserve the seqs first, then the rows and the announcement.
        const rows = await this.db.query<{ last_seq: string }>(
          `INSERT INTO event_stream (stream, last_seq) VALUES ($1, $2)
           ON CONFLICT (stream) DO UPDATE SET last_seq = event_stream.last_seq + $2
           RETURNING last_seq`,
          [stream, items.length],
        );
        last = Number(rows[0]?.last_seq);
        events = items.map((item, i) => event(item, last - items.length + 1 + i));
        await this.db.query(
          `WITH ins AS (
             INSERT INTO event_log (stream, seq, type, at, data)
             SELECT $1, s, t, $4, d FROM unnest($2::bigint[], $3::text[], $5::jsonb[]) AS x(s, t, d)
           )
           SELECT pg_notify('${EVENT_CHANNEL}', $1 || '|' || $6 || '|' || $7)`,
          [
            stream,
            events.map((e) => e.seq),
            events.map((e) => e.type),
            at,
            events.map((e) => JSON.stringify(e.data)),
            last,
            appendId,
          ],
        );
      }
      this.remember(appendId, stream, events);
      this.db.afterCommit(() => this.committed(stream, last, appendId));
      return events;
    });
  }

  /** A NOTIFY payload `stream|lastSeq|appendId` from any node (this one included). */
  noticeCommitted(payload: string): void {
    const parts = payload.split('|');
    if (parts.length < 2) return;
    const appendId = parts.length >= 3 ? (parts.pop() as string) : '';
    const seq = Number(parts.pop());
    const stream = parts.join('|');
    if (!stream || !Number.isInteger(seq) || seq <= 0) return;
    this.committed(stream, seq, appendId);
  }

  /**
   * A socket of this node follows `stream` from `seq` on (what it was answered with): later
   * events are published to it even if this node has published nothing of the stream before.
   */
  follow(stream: string, seq: number): void {
    this.streams.follow(stream, seq);
  }

  /**
   * The last seq of `stream` this node has published (-1 when it has not followed it): every
   * event up to it has gone out to this node's followers, every later one will.
   */
  lastPublished(stream: string): number {
    return this.streams.lastOf(stream);
  }

  /** No socket of this node follows `stream` any more: its bookkeeping may go. */
  unfollow(stream: string): void {
    this.streams.unfollow(stream);
    if (!this.streams.isFollowed(stream)) this.recent.delete(stream);
  }

  /**
   * The events afterSeq < seq ≤ uptoSeq from memory, when this node published them all while
   * the stream was followed here (a rejoining tablet's catch-up without a query); else null.
   */
  recentEvents(stream: string, afterSeq: number, uptoSeq: number): LiveEvent[] | null {
    const ring = this.recent.get(stream);
    const first = ring?.[0];
    if (!ring || !first || first.seq > afterSeq + 1 || (ring.at(-1) as LiveEvent).seq < uptoSeq) return null;
    return ring.slice(afterSeq + 1 - first.seq, uptoSeq - first.seq + 1);
  }

  /** After the listener was away: publishes what every followed stream committed meanwhile. */
  async catchUp(): Promise<number> {
    const known = this.streams.known();
    if (known.length === 0) return 0;
    let behind = 0;
    for (let i = 0; i < known.length; i += 1000) {
      const rows = await this.db.detached(() =>
        this.db.query<{ stream: string; last_seq: string }>(
          'SELECT stream, last_seq FROM event_stream WHERE stream = ANY($1::text[])',
          [known.slice(i, i + 1000)],
        ),
      );
      for (const r of rows) {
        const last = Number(r.last_seq);
        if (last > this.streams.lastOf(r.stream)) {
          behind++;
          this.committed(r.stream, last, '');
        }
      }
    }
    return behind;
  }

  /** The last committed seq of a stream (0 when empty). */
  async lastSeq(stream: string): Promise<number> {
    const rows = await this.db.query<{ last_seq: string }>(
      'SELECT last_seq FROM event_stream WHERE stream = $1',
      [stream],
    );
    return rows.length === 0 ? 0 : Number(rows[0]?.last_seq);
  }

  /** Events with afterSeq < seq ≤ uptoSeq, in order (at most `limit`). */
  async read(stream: string, afterSeq: number, limit: number, uptoSeq?: number): Promise<LiveEvent[]> {
    const rows = await this.db.query<{ seq: string; type: string; at: Date; data: unknown }>(
      `SELECT seq, type, at, data FROM event_log
       WHERE stream = $1 AND seq > $2 AND ($3::bigint IS NULL OR seq <= $3)
       ORDER BY seq LIMIT $4`,
      [stream, afterSeq, uptoSeq ?? null, limit],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      type: r.type as LiveEventType,
      at: r.at.toISOString(),
      data: r.data as LiveEventData[LiveEventType],
    }));
  }

  /**
   * Retention: deletes the events of `stream` (the stream's last seq stays, so a late client
   * gets a snapshot rather than a reused seq). Works in chunks; returns how many rows went.
   */
  async prune(stream: string, chunk = 5000): Promise<number> {
    let removed = 0;
    for (;;) {
      const rows = await this.db.query<{ n: string }>(
        `WITH gone AS (
           DELETE FROM event_log WHERE ctid IN (SELECT ctid FROM event_log WHERE stream = $1 LIMIT $2)
           RETURNING 1
         ) SELECT count(*) AS n FROM gone`,
        [stream, chunk],
      );
      const n = Number(rows[0]?.n ?? 0);
      removed += n;
      if (n < chunk) return removed;
    }
  }

  private remember(appendId: string, stream: string, events: LiveEvent[]): void {
    const now = Date.now();
    for (const [id, entry] of this.local) {
      if (now - entry.at < LOCAL_TTL_MS) break;
      this.local.delete(id); // rolled back, or its announcement was lost: the log has the truth
    }
    this.local.set(appendId, { stream, events, at: now });
  }

  /** `stream` has committed up to `seq` (by the append `appendId`, when known): publish in order. */
  private committed(stream: string, seq: number, appendId: string): void {
    const mine = appendId ? this.local.get(appendId) : undefined;
    if (mine) this.local.delete(appendId);
    this.streams.enqueue(stream, seq, (last) => this.publishUpTo(stream, last, seq, mine?.events ?? []));
  }

  /** Publishes `last` < seq ≤ `upto`: from `known` where it covers the range, else from the log. */
  private async publishUpTo(stream: string, last: number, upto: number, known: LiveEvent[]): Promise<number> {
    const from = last < 0 ? upto - (known.length || 1) : last;
    if (upto <= from) return last;
    let batch = known.filter((e) => e.seq > from && e.seq <= upto);
    if (batch.length !== upto - from) {
      try {
        batch = await this.db.detached(() => this.read(stream, from, upto - from, upto));
      } catch (err) {
        // Clients detect the gap at the next event and rejoin with afterSeq: nothing is lost.
        this.logger.warn(`could not read ${stream} ${from + 1}..${upto}: ${String(err)}`);
        return last;
      }
    }
    for (const event of batch) this.published.next({ stream, event });
    if (batch.length > 0 && this.streams.isFollowed(stream)) this.keepRecent(stream, from, batch);
    return batch.length > 0 ? (batch.at(-1) as LiveEvent).seq : last;
  }

  private keepRecent(stream: string, from: number, batch: LiveEvent[]): void {
    let ring = this.recent.get(stream);
    // Only a gap-free run is kept: a ring that does not end at `from` starts again.
    if (!ring || (ring.at(-1) as LiveEvent).seq !== from) {
      ring = [];
      this.recent.set(stream, ring);
    }
    ring.push(...batch);
    if (ring.length > RECENT_EVENTS) ring.splice(0, ring.length - RECENT_EVENTS);
  }
}
