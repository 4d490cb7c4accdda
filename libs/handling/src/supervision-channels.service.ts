import { Injectable } from '@nestjs/common';
import {
  type ChannelItem,
  type ChannelJoinRequest,
  type ChannelJoinResult,
  type LiveEvent,
  MAX_CHANNEL_CATCH_UP,
  type StreamedEvent,
  SUPERVISION_CHANNEL,
  type SupervisionJoinResult,
  type UnitChannelJoinResult,
  unitOfStream,
  unitStream,
} from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import { type Actor, Db, EventLogService, forbidden, invalid } from '@liexi/platform';
import { TaskItemEntity } from './task-item.entity';
import { OVERSEERS } from './task-access.service';
import { WorkCalendarService } from './work-calendar.service';

/**
 * The live item channels of `/supervision` (protocol: `libs/contracts/src/supervision-events.ts`).
 * `unit:<id>` follows that unit's stream; `supervision` follows every unit stream with a
 * cursor per stream, since no stream carries every change (no global lock for task writes).
 * Every answer is read after the socket joined its room, so nothing falls between the answer
 * and the pushes; the event log is read only through `EventLogService`.
 */
@Injectable()
export class SupervisionChannelsService {
  constructor(
    private readonly db: Db,
    private readonly events: EventLogService,
    private readonly calendar: WorkCalendarService,
    private readonly directory: DirectoryService,
  ) {}

  /**
   * `channel.join`: `unit:<id>` for that unit's handlers (and overseers), `supervision` for the
   * secretariat, supervisors and leaders. Subscribes first, then answers with the events after
   * the client's cursor(s) (gap-free) or a snapshot with the cursor(s) it reflects.
   */
  async join(
    actor: Actor,
    req: ChannelJoinRequest,
    subscribe: (room: string) => Promise<void>,
  ): Promise<ChannelJoinResult> {
    if (req.channel === SUPERVISION_CHANNEL) {
      if (!OVERSEERS.has(actor.role))
        throw forbidden('the supervision channel is for the secretariat, supervisors and leaders');
      if (req.afterSeq !== undefined)
        throw invalid('the supervision channel resumes with afterSeqs, one cursor per unit stream', {
          afterSeq: ['use afterSeqs'],
        });
      await subscribe(SUPERVISION_CHANNEL);
      return (req.afterSeqs && (await this.catchUpAll(req.afterSeqs))) ?? this.snapshotAll();
    }
    const unitId = this.authorizeUnit(actor, req.channel);
    if (req.afterSeqs !== undefined)
      throw invalid('a unit channel resumes with afterSeq', { afterSeqs: ['use afterSeq'] });
    await subscribe(req.channel);
    if (req.afterSeq !== undefined) {
      const caught = await this.catchUp(req.channel, req.afterSeq, MAX_CHANNEL_CATCH_UP);
      if (caught) return { seq: caught.last, events: caught.events };
    }
    return this.snapshotUnit(unitId);
  }

  private authorizeUnit(actor: Actor, channel: string): string {
    const unitId = unitOfStream(channel);
    if (!unitId) throw invalid(`unknown channel ${channel}`, { channel: ['unit:<unitId> or supervision'] });
    if (OVERSEERS.has(actor.role)) return unitId;
    if (actor.role === 'unit_handler' && actor.unitId === unitId) return unitId;
    throw forbidden('a unit may join only its own channel');
  }

  /**
   * The events of one stream after `afterSeq` up to its last seq, or null when a snapshot is
   * needed: the cursor is ahead of the stream, more than `budget` behind, or the log no longer
   * holds them all.
   */
  private async catchUp(
    stream: string,
    afterSeq: number,
    budget: number,
  ): Promise<{ last: number; events: LiveEvent[] } | null> {
    const last = await this.events.lastSeq(stream);
    if (afterSeq > last || last - afterSeq > budget) return null;
    if (afterSeq === last) return { last, events: [] };
    const events = await this.events.read(stream, afterSeq, last - afterSeq, last);
    return events.length === last - afterSeq ? { last, events } : null;
  }

  /** `supervision` resumed: every unit stream after its cursor (a stream not given starts at 0). */
  private async catchUpAll(afterSeqs: Record<string, number>): Promise<SupervisionJoinResult | null> {
    const seqs: Record<string, number> = {};
    const events: StreamedEvent[] = [];
    let budget = MAX_CHANNEL_CATCH_UP;
    for (const stream of await this.unitStreams()) {
      const caught = await this.catchUp(stream, afterSeqs[stream] ?? 0, budget);
      if (!caught) return null;
      if (caught.last > 0) seqs[stream] = caught.last;
      budget -= caught.events.length;
      events.push(...caught.events.map((e) => ({ ...e, stream })));
    }
    return { seqs, events };
  }

  /** A unit's items (lead or cooperating) and its stream's seq, read in one REPEATABLE READ snapshot. */
  private snapshotUnit(unitId: string): Promise<UnitChannelJoinResult> {
    return this.db.transaction(async () => {
      const channel = unitStream(unitId);
      const seq = await this.events.lastSeq(channel);
      const rows = await this.db.manager
        .createQueryBuilder(TaskItemEntity, 't')
        .where('t.lead_unit_id = :unitId', { unitId })
        .orWhere('t.id IN (SELECT task_item_id FROM task_cooperating_unit WHERE unit_id = :unitId)', {
          unitId,
        })
        .orderBy('t.created_at', 'ASC')
        .getMany();
      return { seq, snapshot: { channel, items: await this.channelItems(rows) } };
    }, 'REPEATABLE READ');
  }

  /** Every item and the seq of every unit stream, read in one REPEATABLE READ snapshot. */
  private snapshotAll(): Promise<SupervisionJoinResult> {
    return this.db.transaction(async () => {
      const seqs: Record<string, number> = {};
      for (const stream of await this.unitStreams()) {
        const seq = await this.events.lastSeq(stream);
        if (seq > 0) seqs[stream] = seq;
      }
      const rows = await this.db.manager
        .createQueryBuilder(TaskItemEntity, 't')
        .orderBy('t.created_at', 'ASC')
        .getMany();
      return { seqs, snapshot: { channel: SUPERVISION_CHANNEL, items: await this.channelItems(rows) } };
    }, 'REPEATABLE READ');
  }

  /** The stream of every unit of the directory, sorted. */
  private async unitStreams(): Promise<string[]> {
    return (await this.directory.listUnits()).map((u) => unitStream(u.id)).sort();
  }

  private async channelItems(rows: TaskItemEntity[]): Promise<ChannelItem[]> {
    const calendar = await this.calendar.calendar();
    const today = this.calendar.today();
    return rows.map((t) => ({
      id: t.id,
      problem: t.problem,
      state: t.state,
      leadUnitId: t.leadUnitId,
      deadline: t.deadline,
      light: this.calendar.light(t, calendar, today),
      reopenCount: t.reopenCount,
      version: t.version,
    }));
  }
}
