import { Injectable } from '@nestjs/common';
import {
  type Actor,
  AuditService,
  Db,
  DomainException,
  EventLogService,
  meetingStream,
} from '@liexi/platform';
import { AgendaItemEntity } from './agenda-item.entity';
import { MeetingRecords } from './meeting-records';

/** The chair moves the session along its agenda: current → done, the next pending → current. */
@Injectable()
export class AgendaProgressService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly records: MeetingRecords,
  ) {}

  async advance(
    actor: Actor,
    meetingId: string,
  ): Promise<{ seq: number; currentAgendaItemId: string | null }> {
    return this.db.transaction(async () => {
      const meeting = await this.records.lock(meetingId);
      this.records.requireSteward(actor, meeting);
      if (meeting.status !== 'in_session')
        throw new DomainException('SESSION_CLOSED', `the meeting is ${meeting.status}`);
      const items = await this.records.agenda(meetingId);
      const current = items.find((i) => i.state === 'current');
      const next = items.find((i) => i.state === 'pending');
      if (!current && !next)
        throw new DomainException('INVALID_TRANSITION', 'every agenda item is done', { allowed: [] });
      if (current) {
        await this.db.manager.update(
          AgendaItemEntity,
          { id: current.id, state: 'current' },
          { state: 'done' },
        );
        current.state = 'done';
      }
      if (next) {
        await this.db.manager.update(
          AgendaItemEntity,
          { id: next.id, state: 'pending' },
          { state: 'current' },
        );
        next.state = 'current';
      }
      const currentAgendaItemId = next?.id ?? null;
      const event = await this.events.append(meetingStream(meetingId), 'agenda.advanced', {
        meetingId,
        currentAgendaItemId,
        items: items.map((i) => ({ id: i.id, state: i.state })),
      });
      await this.audit.record(actor, {
        action: 'agenda.advanced',
        entityType: 'meeting',
        entityId: meetingId,
        before: { currentAgendaItemId: current?.id ?? null },
        after: { currentAgendaItemId, seq: event.seq },
      });
      return { seq: event.seq, currentAgendaItemId };
    });
  }
}
