import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LiveEvent, LiveEventData, LiveEventType } from '@liexi/contracts';
import { Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import type { Tx } from '../database/transaction.service';

export interface StreamEvent {
  stream: string;
  event: LiveEvent;
}

/** A committed event known by stream and seq only: from another node, read back from the log. */
interface StreamNotice {
  stream: string;
  seq: number;
  event?: LiveEvent;
}

/** The PostgreSQL NOTIFY channel on which every committed event is announced to every node. */
export const EVENT_CHANNEL = 'liexi_events';

export const meetingStream = (meetingId: string): string => `meeting:${meetingId}`;

/**
 * The per-stream event log. `append` takes the next sequence number under the stream row's
 * lock, in the caller's transaction: an appender waits until the previous one commits or rolls
 * back, so committed seqs have no gaps and commit in seq order. Publication happens after
 * commit, in seq order per stream (missing seqs are read back from the database first).
 * Every append also NOTIFYs (delivered only on commit), so the other api nodes publish the event
 * to their own sockets too (EventFanoutListener); each node publishes each seq once.
 */
@Injectable()
export class EventLogService {
  private readonly logger = new Logger('EventLog');
  private readonly committed = new Subject<StreamNotice>();
  /** Ordered, gap-free feed of committed events for the broadcasters of this node. */
  readonly published = new Subject<StreamEvent>();
  private readonly lastPublished = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.committed.subscribe((e) => {
      this.chain = this.chain
        .then(() => this.publishInOrder(e))
        .catch((err: unknown) => {
          // Clients detect the gap at the next event and rejoin with afterSeq: nothing is lost.
          this.logger.warn(`could not publish ${e.stream}#${e.seq}: ${String(err)}`);
        });
    });
  }

  /** Appends one event; `data` may be built from the seq it gets (e.g. to carry its own seq). */
  async append<T extends LiveEventType>(
    tx: Tx,
    stream: string,
    type: T,
    dataOrBuild: LiveEventData[T] | ((seq: number) => LiveEventData[T]),
  ): Promise<LiveEvent<T>> {
    const rows: { last_seq: string }[] = await tx.manager.query(
      `INSERT INTO event_stream (stream, last_seq) VALUES ($1, 1)
       ON CONFLICT (stream) DO UPDATE SET last_seq = event_stream.last_seq + 1
       RETURNING last_seq`,
      [stream],
    );
    const seq = Number(rows[0]?.last_seq);
    const data = typeof dataOrBuild === 'function' ? dataOrBuild(seq) : dataOrBuild;
    const at = new Date();
    // One round trip: the row, and its announcement to the other nodes (sent at commit).
    await tx.manager.query(
      `WITH ins AS (
         INSERT INTO event_log (stream, seq, type, at, data) VALUES ($1, $2, $3, $4, $5) RETURNING stream, seq
       )
       SELECT pg_notify('${EVENT_CHANNEL}', ins.stream || '|' || ins.seq) FROM ins`,
      [stream, seq, type, at, JSON.stringify(data)],
    );
    const event: LiveEvent<T> = { seq, type, at: at.toISOString(), data };
    tx.afterCommit(() => this.committed.next({ stream, seq, event }));
    return event;
  }

  /** A NOTIFY payload `stream|seq` from any node (this one included): publish it unless already done. */
  noticeCommitted(payload: string): void {
    const cut = payload.lastIndexOf('|');
    const seq = Number(payload.slice(cut + 1));
    if (cut <= 0 || !Number.isInteger(seq) || seq <= 0) return;
    this.committed.next({ stream: payload.slice(0, cut), seq });
  }

  /** The last committed seq of a stream (0 when empty). */
  async lastSeq(stream: string): Promise<number> {
    const rows: { last_seq: string }[] = await this.dataSource.query(
      'SELECT last_seq FROM event_stream WHERE stream = $1',
      [stream],
    );
    return rows.length === 0 ? 0 : Number(rows[0]?.last_seq);
  }

  /** Events with afterSeq < seq ≤ uptoSeq, in order (at most `limit`). */
  async read(stream: string, afterSeq: number, limit: number, uptoSeq?: number): Promise<LiveEvent[]> {
    const rows: { seq: string; type: string; at: Date; data: unknown }[] = await this.dataSource.query(
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

  private async publishInOrder(e: StreamNotice): Promise<void> {
    const last = this.lastPublished.get(e.stream);
    if (last !== undefined && e.seq <= last) return; // already published (gap fill or the other path)
    // A stream first seen here starts at this event; otherwise fill any gap from the log.
    const from = last ?? e.seq - 1;
    const batch: LiveEvent[] =
      e.event && e.seq === from + 1 ? [e.event] : await this.read(e.stream, from, e.seq - from, e.seq);
    for (const event of batch) this.published.next({ stream: e.stream, event });
    if (batch.length > 0) this.lastPublished.set(e.stream, e.seq);
  }
}
