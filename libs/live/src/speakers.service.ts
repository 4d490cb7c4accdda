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
  TransactionService,
  type Tx,
} from '@liexi/platform';
import { In } from 'typeorm';
import type { RequestSpeakerDto } from './live.dto';
import { SpeakerRequestEntity } from './speaker-request.entity';

/** 发言排队: the speakers queue of a meeting; every change is one `speakers.changed` event. */
@Injectable()
export class SpeakersService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly meetings: MeetingsService,
    private readonly directory: DirectoryService,
  ) {}

  /** `speaker.request`: joins the queue once; a retry (or a second request while queued) returns the first seq. */
  async request(actor: Actor, dto: RequestSpeakerDto): Promise<SeqResult> {
    return this.tx.run(async (tx) => {
      await this.lockQueue(tx, dto.meetingId);
      const { participantId } = await this.meetings.requireContributor(tx, actor, dto.meetingId);
      const same = await tx.manager.findOne(SpeakerRequestEntity, {
        where: { meetingId: dto.meetingId, clientKey: dto.clientKey },
      });
      if (same) {
        if (same.participantId !== participantId) throw conflict('this clientKey was used by someone else');
        return { seq: Number(same.seq) };
      }
      const open = await tx.manager.findOne(SpeakerRequestEntity, {
        where: { meetingId: dto.meetingId, participantId, state: In(['queued', 'speaking']) },
      });
      if (open) return { seq: Number(open.seq) };
      if (dto.agendaItemId)
        await this.meetings.requireAgendaItem(dto.meetingId, dto.agendaItemId, 'agendaItemId');
      const saved = await tx.manager.save(
        tx.manager.create(SpeakerRequestEntity, {
          meetingId: dto.meetingId,
          participantId,
          agendaItemId: dto.agendaItemId ?? null,
          clientKey: dto.clientKey,
          state: 'queued',
          seq: '0',
        }),
      );
      const seq = await this.announce(tx, dto.meetingId);
      await tx.manager.update(SpeakerRequestEntity, { id: saved.id }, { seq: String(seq) });
      await this.audit.record(tx, actor, {
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
    return this.tx.run(async (tx) => {
      await this.lockQueue(tx, meetingId);
      const { participantId } = await this.meetings.requireContributor(tx, actor, meetingId);
      const open = await tx.manager.findOne(SpeakerRequestEntity, {
        where: { meetingId, participantId, state: In(['queued', 'speaking']) },
      });
      if (!open) return { seq: await this.lastSeq(tx, meetingId) };
      await tx.manager.update(
        SpeakerRequestEntity,
        { id: open.id },
        { state: open.state === 'speaking' ? 'done' : 'withdrawn' },
      );
      const seq = await this.announce(tx, meetingId);
      await this.audit.record(tx, actor, {
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
    return this.tx.run(async (tx) => {
      await this.lockQueue(tx, meetingId);
      await this.meetings.requireFollower(actor, meetingId);
      const meeting = await this.meetings.require(meetingId, tx);
      if (meeting.status !== 'in_session')
        throw new DomainException('SESSION_CLOSED', `the meeting is ${meeting.status}`);
      const current = await tx.manager.findOne(SpeakerRequestEntity, {
        where: { meetingId, state: 'speaking' },
      });
      const first = await tx.manager.findOne(SpeakerRequestEntity, {
        where: { meetingId, state: 'queued' },
        order: { requestedAt: 'ASC', id: 'ASC' },
      });
      if (!current && !first)
        throw new DomainException('INVALID_TRANSITION', 'nobody is speaking or waiting to speak', {
          allowed: [],
        });
      if (current) await tx.manager.update(SpeakerRequestEntity, { id: current.id }, { state: 'done' });
      if (first) await tx.manager.update(SpeakerRequestEntity, { id: first.id }, { state: 'speaking' });
      const seq = await this.announce(tx, meetingId);
      await this.audit.record(tx, actor, {
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
  async state(meetingId: string, tx?: Tx): Promise<SpeakersState> {
    const rows = await (tx?.manager ?? this.tx.manager).find(SpeakerRequestEntity, {
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

  private async announce(tx: Tx, meetingId: string): Promise<number> {
    const event = await this.events.append(
      tx,
      meetingStream(meetingId),
      'speakers.changed',
      await this.state(meetingId, tx),
    );
    return event.seq;
  }

  /** Queue changes of one meeting happen one at a time (a transaction-scoped advisory lock). */
  private async lockQueue(tx: Tx, meetingId: string): Promise<void> {
    await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`speakers:${meetingId}`]);
  }

  private async lastSeq(tx: Tx, meetingId: string): Promise<number> {
    const rows: { last_seq: string }[] = await tx.manager.query(
      'SELECT last_seq FROM event_stream WHERE stream = $1',
      [meetingStream(meetingId)],
    );
    return Number(rows[0]?.last_seq ?? 0);
  }
}
