import { Injectable } from '@nestjs/common';
import type { SeqResult, SpeakersState } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import { MeetingsService } from '@liexi/meetings';
import {
  type Actor,
  AuditService,
  conflict,
  DomainException,
  EventLogService,
  meetingStream,
  Db,
} from '@liexi/platform';
import { In } from 'typeorm';
import type { RequestSpeakerDto } from './live.dto';
import { SpeakerRequestEntity } from './speaker-request.entity';

/** 发言排队: the speakers queue of a meeting; every change is one `speakers.changed` event. */
@Injectable()
export class SpeakersService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly meetings: MeetingsService,
    private readonly directory: DirectoryService,
  ) {}

  /** `speaker.request`: joins the queue once; a retry (or a second request while queued) returns the first seq. */
  async request(actor: Actor, dto: RequestSpeakerDto): Promise<SeqResult> {
    return this.db.transaction(async () => {
      await this.lockQueue(dto.meetingId);
      const { participantId } = await this.meetings.requireContributor(actor, dto.meetingId);
      const same = await this.db.manager.findOne(SpeakerRequestEntity, {
        where: { meetingId: dto.meetingId, clientKey: dto.clientKey },
      });
      if (same) {
        if (same.participantId !== participantId) throw conflict('this clientKey was used by someone else');
        return { seq: Number(same.seq) };
      }
      const open = await this.db.manager.findOne(SpeakerRequestEntity, {
        where: { meetingId: dto.meetingId, participantId, state: In(['queued', 'speaking']) },
      });
      if (open) return { seq: Number(open.seq) };
      if (dto.agendaItemId)
        await this.meetings.requireAgendaItem(dto.meetingId, dto.agendaItemId, 'agendaItemId');
      const saved = await this.db.manager.save(
        this.db.manager.create(SpeakerRequestEntity, {
          meetingId: dto.meetingId,
          participantId,
          agendaItemId: dto.agendaItemId ?? null,
          clientKey: dto.clientKey,
          state: 'queued',
          seq: '0',
        }),
      );
      const seq = await this.announce(dto.meetingId);
      await this.db.manager.update(SpeakerRequestEntity, { id: saved.id }, { seq: String(seq) });
      await this.audit.record(actor, {
        action: 'speaker.requested',
        entityType: 'speaker_request',
        entityId: saved.id,
        after: { meetingId: dto.meetingId, agendaItemId: saved.agendaItemId, seq },
      });
      return { seq };
    });
  }

  /** `speaker.withdraw`: leaves the queue (or gives up the floor). Nothing open: answers the current seq. */
  async withdraw(actor: Actor, meetingId: string): Promise<SeqResult> {
    return this.db.transaction(async () => {
      await this.lockQueue(meetingId);
      const { participantId } = await this.meetings.requireContributor(actor, meetingId);
      const open = await this.db.manager.findOne(SpeakerRequestEntity, {
        where: { meetingId, participantId, state: In(['queued', 'speaking']) },
      });
      if (!open) return { seq: await this.events.lastSeq(meetingStream(meetingId)) };
      await this.db.manager.update(
        SpeakerRequestEntity,
        { id: open.id },
        { state: open.state === 'speaking' ? 'done' : 'withdrawn' },
      );
      const seq = await this.announce(meetingId);
      await this.audit.record(actor, {
        action: 'speaker.withdrawn',
        entityType: 'speaker_request',
        entityId: open.id,
        before: { state: open.state },
        after: { seq },
      });
      return { seq };
    });
  }

  /** `speaker.next` (chair): the current speaker is done; the first in the queue gets the floor. */
  async next(actor: Actor, meetingId: string): Promise<SeqResult> {
    return this.db.transaction(async () => {
      await this.lockQueue(meetingId);
      const meeting = await this.meetings.requireSteward(actor, meetingId);
      if (meeting.status !== 'in_session')
        throw new DomainException('SESSION_CLOSED', `the meeting is ${meeting.status}`);
      const current = await this.db.manager.findOne(SpeakerRequestEntity, {
        where: { meetingId, state: 'speaking' },
      });
      const first = await this.db.manager.findOne(SpeakerRequestEntity, {
        where: { meetingId, state: 'queued' },
        order: { requestedAt: 'ASC', id: 'ASC' },
      });
      if (!current && !first)
        throw new DomainException('INVALID_TRANSITION', 'nobody is speaking or waiting to speak', {
          allowed: [],
        });
      if (current) await this.db.manager.update(SpeakerRequestEntity, { id: current.id }, { state: 'done' });
      if (first) await this.db.manager.update(SpeakerRequestEntity, { id: first.id }, { state: 'speaking' });
      const seq = await this.announce(meetingId);
      await this.audit.record(actor, {
        action: 'speaker.next',
        entityType: 'meeting',
        entityId: meetingId,
        before: { speaking: current?.id ?? null },
        after: { speaking: first?.id ?? null, seq },
      });
      return { seq };
    });
  }

  /** The queue and the current speaker, read through `tx` when given. */
  async state(meetingId: string): Promise<SpeakersState> {
    const rows = await this.db.manager.find(SpeakerRequestEntity, {
      where: { meetingId, state: In(['queued', 'speaking']) },
      order: { requestedAt: 'ASC', id: 'ASC' },
    });
    const people = await this.directory.participantsByIds([...new Set(rows.map((r) => r.participantId))]);
    const view = (r: SpeakerRequestEntity): SpeakersState['queue'][number] => ({
      participantId: r.participantId,
      name: people.get(r.participantId)?.name ?? '',
      agendaItemId: r.agendaItemId,
    });
    const current = rows.find((r) => r.state === 'speaking');
    return {
      queue: rows.filter((r) => r.state === 'queued').map(view),
      current: current ? view(current) : null,
    };
  }

  private async announce(meetingId: string): Promise<number> {
    const event = await this.events.append(
      meetingStream(meetingId),
      'speakers.changed',
      await this.state(meetingId),
    );
    return event.seq;
  }

  /** Queue changes of one meeting happen one at a time (a transaction-scoped advisory lock). */
  private async lockQueue(meetingId: string): Promise<void> {
    await this.db.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`speakers:${meetingId}`]);
  }
}
