import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LiveEvent, LiveEventData, LiveEventType } from '@liexi/contracts';
import { Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import type { Tx } from '../database/transaction.service';

export interface StreamEvent {
  stream: string;
  event: LiveEvent;
}

export const meetingStream = (meetingId: string): string => `meeting:${meetingId}`;

/**
 * The per-stream event log. `append` takes the next sequence number under the stream row's
 * lock, in the caller's transaction: an appender waits until the previous one commits or rolls
 * back, so committed seqs have no gaps and commit in seq order. Publication happens after
 * commit, in seq order per stream (missing seqs are read back from the database first).
 */
@Injectable()
export class EventLogService {
  private readonly committed = new Subject<StreamEvent>();
  /** Ordered, gap-free feed of committed events for the broadcasters of this node. */
  readonly published = new Subject<StreamEvent>();
  private readonly lastPublished = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.committed.subscribe((e) => {
      this.chain = this.chain.then(() => this.publishInOrder(e)).catch(() => undefined);
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
    await tx.manager.query(
      'INSERT INTO event_log (stream, seq, type, at, data) VALUES ($1, $2, $3, $4, $5)',
      [stream, seq, type, at, JSON.stringify(data)],
    );
    const event: LiveEvent<T> = { seq, type, at: at.toISOString(), data };
    tx.afterCommit(() => this.committed.next({ stream, event }));
    return event;
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

  private async publishInOrder(e: StreamEvent): Promise<void> {
    const last = this.lastPublished.get(e.stream);
    if (last !== undefined && e.event.seq <= last) return; // already sent while filling a gap
    const batch: LiveEvent[] =
      last !== undefined && e.event.seq > last + 1
        ? [...(await this.read(e.stream, last, e.event.seq - last - 1, e.event.seq - 1)), e.event]
        : [e.event];
    for (const event of batch) this.published.next({ stream: e.stream, event });
    this.lastPublished.set(e.stream, e.event.seq);
  }
}
