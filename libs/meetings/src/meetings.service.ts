import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { MeetingSnapshot } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import {
  type Actor,
  AuditService,
  conflict,
  DomainException,
  EventLogService,
  forbidden,
  invalid,
  meetingStream,
  notFound,
  TransactionService,
  type Tx,
} from '@liexi/platform';
import { In, Not, Repository } from 'typeorm';
import { AgendaItemEntity } from './agenda-item.entity';
import { InvitationEntity } from './invitation.entity';
import { MeetingEntity } from './meeting.entity';
import {
  allowedMeetingActions,
  isMeetingEditable,
  type MeetingAction,
  meetingTarget,
} from './meeting-status';
import type { CreateAgendaItemDto, CreateMeetingDto } from './meetings.dto';

const OVERSEERS = new Set(['secretariat', 'leader', 'supervisor']);

export interface MeetingView extends MeetingEntity {
  agenda: AgendaItemEntity[];
}

@Injectable()
export class MeetingsService {
  constructor(
    @InjectRepository(MeetingEntity) private readonly meetings: Repository<MeetingEntity>,
    @InjectRepository(AgendaItemEntity) private readonly agendaItems: Repository<AgendaItemEntity>,
    @InjectRepository(InvitationEntity) private readonly invitations: Repository<InvitationEntity>,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly directory: DirectoryService,
  ) {}

  async create(actor: Actor, dto: CreateMeetingDto): Promise<MeetingView> {
    if (dto.endsAt.getTime() <= dto.startsAt.getTime()) {
      throw invalid('a meeting must end after it starts', { endsAt: ['must be after startsAt'] });
    }
    return this.tx.run(async (tx) => {
      const meeting = await tx.manager.save(
        tx.manager.create(MeetingEntity, {
          kind: dto.kind,
          title: dto.title,
          startsAt: dto.startsAt,
          endsAt: dto.endsAt,
          place: dto.place ?? null,
          chair: dto.chair ?? null,
          status: 'draft',
        }),
      );
      const agenda: AgendaItemEntity[] = [];
      for (const [i, item] of (dto.agenda ?? []).entries()) {
        agenda.push(await this.insertAgendaItem(tx, meeting.id, i + 1, item));
      }
      await this.audit.record(tx, actor, {
        action: 'meeting.created',
        entityType: 'meeting',
        entityId: meeting.id,
        after: { ...meeting, agenda },
      });
      return { ...meeting, agenda };
    });
  }

  async list(actor: Actor): Promise<MeetingEntity[]> {
    if (OVERSEERS.has(actor.role)) return this.meetings.find({ order: { startsAt: 'DESC' } });
    if (actor.role === 'attendee' && actor.participantId) {
      const invs = await this.invitations.find({
        where: { participantId: actor.participantId, status: Not('declined') },
      });
      if (invs.length === 0) return [];
      return this.meetings.find({
        where: { id: In(invs.map((i) => i.meetingId)) },
        order: { startsAt: 'DESC' },
      });
    }
    // Unit handlers see every meeting past planning: their items come from them.
    return this.meetings.find({
      where: { status: Not(In(['draft', 'cancelled'])) },
      order: { startsAt: 'DESC' },
    });
  }

  async get(actor: Actor, id: string): Promise<MeetingView> {
    const meeting = await this.requireFollower(actor, id);
    return { ...meeting, agenda: await this.agenda(id) };
  }

  /** Reads through `tx` when given, so a caller's snapshot sees one consistent state. */
  async require(id: string, tx?: Tx): Promise<MeetingEntity> {
    const meeting = await (tx?.manager ?? this.meetings.manager).findOne(MeetingEntity, { where: { id } });
    if (!meeting) throw notFound('meeting', id);
    return meeting;
  }

  agenda(meetingId: string, tx?: Tx): Promise<AgendaItemEntity[]> {
    return (tx?.manager ?? this.agendaItems.manager).find(AgendaItemEntity, {
      where: { meetingId },
      order: { position: 'ASC' },
    });
  }

  async addAgendaItem(actor: Actor, meetingId: string, dto: CreateAgendaItemDto): Promise<AgendaItemEntity> {
    return this.tx.run(async (tx) => {
      const meeting = await this.lockMeeting(tx, meetingId);
      if (!isMeetingEditable(meeting.status))
        throw new DomainException('INVALID_TRANSITION', `a ${meeting.status} meeting cannot be edited`);
      const rows: { max: number | null }[] = await tx.manager.query(
        'SELECT max(position) AS max FROM agenda_item WHERE meeting_id = $1',
        [meetingId],
      );
      const item = await this.insertAgendaItem(tx, meetingId, (rows[0]?.max ?? 0) + 1, dto);
      await this.audit.record(tx, actor, {
        action: 'agenda_item.created',
        entityType: 'agenda_item',
        entityId: item.id,
        after: item,
      });
      return item;
    });
  }

  /** The agenda item must belong to the meeting; throws VALIDATION otherwise. */
  async requireAgendaItem(meetingId: string, agendaItemId: string, field: string): Promise<AgendaItemEntity> {
    const item = await this.agendaItems.findOne({ where: { id: agendaItemId, meetingId } });
    if (!item)
      throw invalid(`agenda item ${agendaItemId} is not on meeting ${meetingId}`, {
        [field]: ['not an item of this meeting'],
      });
    return item;
  }

  /** Moves the meeting along its status table; two racing actors cannot both win. */
  async transition(actor: Actor, meetingId: string, action: MeetingAction): Promise<MeetingEntity> {
    return this.tx.run(async (tx) => {
      const meeting = await this.lockMeeting(tx, meetingId);
      const to = meetingTarget(meeting.status, action);
      if (!to) {
        throw new DomainException('INVALID_TRANSITION', `cannot ${action} a ${meeting.status} meeting`, {
          allowed: allowedMeetingActions(meeting.status),
        });
      }
      const before = { status: meeting.status };
      meeting.status = to;
      await tx.manager.update(MeetingEntity, { id: meetingId }, { status: to });
      await this.audit.record(tx, actor, {
        action: `meeting.${action}`,
        entityType: 'meeting',
        entityId: meetingId,
        before,
        after: { status: to },
      });
      if (action === 'open')
        await this.events.append(tx, meetingStream(meetingId), 'meeting.opened', { meetingId, status: to });
      if (action === 'adjourn')
        await this.events.append(tx, meetingStream(meetingId), 'meeting.adjourned', {
          meetingId,
          status: to,
        });
      return meeting;
    });
  }

  async invite(actor: Actor, meetingId: string, participantId: string): Promise<InvitationEntity> {
    const participant = await this.directory.getParticipant(participantId);
    if (!participant.active)
      throw invalid(`participant ${participantId} is inactive`, { participantId: ['inactive participant'] });
    return this.tx.run(async (tx) => {
      const meeting = await this.lockMeeting(tx, meetingId);
      if (!isMeetingEditable(meeting.status))
        throw new DomainException('INVALID_TRANSITION', `a ${meeting.status} meeting cannot be edited`);
      const existing = await tx.manager.findOne(InvitationEntity, { where: { meetingId, participantId } });
      if (existing) throw conflict(`participant ${participantId} is already invited`);
      const invitation = await tx.manager.save(
        tx.manager.create(InvitationEntity, { meetingId, participantId, status: 'invited' }),
      );
      await this.audit.record(tx, actor, {
        action: 'invitation.created',
        entityType: 'invitation',
        entityId: invitation.id,
        after: invitation,
      });
      return invitation;
    });
  }

  async listInvitations(actor: Actor, meetingId: string): Promise<InvitationEntity[]> {
    await this.requireFollower(actor, meetingId);
    const where =
      actor.role === 'attendee' ? { meetingId, participantId: actor.participantId ?? '' } : { meetingId };
    return this.invitations.find({ where, order: { invitedAt: 'ASC' } });
  }

  myInvitations(actor: Actor): Promise<InvitationEntity[]> {
    if (!actor.participantId) return Promise.resolve([]);
    return this.invitations.find({
      where: { participantId: actor.participantId },
      order: { invitedAt: 'DESC' },
    });
  }

  /** The attendee (or the secretariat at the door) checks in: invited/accepted → checked_in. */
  async checkIn(actor: Actor, invitationId: string): Promise<InvitationEntity> {
    return this.tx.run(async (tx) => {
      const inv = await tx.manager.findOne(InvitationEntity, {
        where: { id: invitationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!inv) throw notFound('invitation', invitationId);
      if (actor.role !== 'secretariat' && actor.participantId !== inv.participantId)
        throw forbidden('not your invitation');
      if (inv.status !== 'invited' && inv.status !== 'accepted') {
        throw new DomainException(
          'INVALID_TRANSITION',
          `cannot check in an invitation that is ${inv.status}`,
          { allowed: [] },
        );
      }
      const meeting = await this.lockMeeting(tx, inv.meetingId);
      if (!isMeetingEditable(meeting.status))
        throw new DomainException('INVALID_TRANSITION', `the meeting is ${meeting.status}`);
      const before = { status: inv.status };
      inv.status = 'checked_in';
      inv.checkedInAt = new Date();
      await tx.manager.update(
        InvitationEntity,
        { id: inv.id },
        { status: inv.status, checkedInAt: inv.checkedInAt },
      );
      await this.audit.record(tx, actor, {
        action: 'invitation.checked_in',
        entityType: 'invitation',
        entityId: inv.id,
        before,
        after: { status: inv.status },
      });
      const participant = await this.directory.getParticipant(inv.participantId);
      await this.events.append(tx, meetingStream(inv.meetingId), 'attendance.changed', {
        participantId: inv.participantId,
        name: participant.name,
        status: inv.status,
        present: await this.presentCount(tx, inv.meetingId),
      });
      return inv;
    });
  }

  /** Anyone who may follow the meeting live: overseers, and attendees invited to it. */
  async requireFollower(actor: Actor, meetingId: string): Promise<MeetingEntity> {
    const meeting = await this.require(meetingId);
    if (OVERSEERS.has(actor.role)) return meeting;
    if (actor.role === 'unit_handler' && meeting.status !== 'draft') return meeting;
    if (actor.role === 'attendee' && actor.participantId) {
      const inv = await this.invitations.findOne({
        where: { meetingId, participantId: actor.participantId },
      });
      if (inv && inv.status !== 'declined') return meeting;
    }
    throw forbidden(`not invited to meeting ${meetingId}`);
  }

  /**
   * May this actor contribute now? Attendees must be checked in; the meeting must be in session
   * (SESSION_CLOSED otherwise). Call inside the transaction that stores the contribution.
   */
  async requireContributor(
    tx: Tx,
    actor: Actor,
    meetingId: string,
  ): Promise<{ meeting: MeetingEntity; participantId: string }> {
    const meeting = await tx.manager.findOne(MeetingEntity, {
      where: { id: meetingId },
      lock: { mode: 'pessimistic_read' },
    });
    if (!meeting) throw notFound('meeting', meetingId);
    if (!actor.participantId) throw forbidden('only attendees contribute input');
    const inv = await tx.manager.findOne(InvitationEntity, {
      where: { meetingId, participantId: actor.participantId },
    });
    if (!inv || inv.status === 'declined') throw forbidden(`not invited to meeting ${meetingId}`);
    if (meeting.status !== 'in_session')
      throw new DomainException('SESSION_CLOSED', `the meeting is ${meeting.status}`);
    if (inv.status !== 'checked_in' && inv.status !== 'attended')
      throw forbidden('check in before contributing');
    return { meeting, participantId: actor.participantId };
  }

  async attendance(meetingId: string, tx?: Tx): Promise<MeetingSnapshot['attendance']> {
    const rows: { present: string; invited: string }[] = await (
      tx?.manager ?? this.invitations.manager
    ).query(
      `SELECT count(*) FILTER (WHERE status IN ('checked_in','attended')) AS present,
              count(*) FILTER (WHERE status <> 'declined') AS invited
       FROM invitation WHERE meeting_id = $1`,
      [meetingId],
    );
    return { present: Number(rows[0]?.present ?? 0), invited: Number(rows[0]?.invited ?? 0) };
  }

  private async presentCount(tx: Tx, meetingId: string): Promise<number> {
    return tx.manager.count(InvitationEntity, {
      where: { meetingId, status: In(['checked_in', 'attended']) },
    });
  }

  private async lockMeeting(tx: Tx, meetingId: string): Promise<MeetingEntity> {
    const meeting = await tx.manager.findOne(MeetingEntity, {
      where: { id: meetingId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!meeting) throw notFound('meeting', meetingId);
    return meeting;
  }

  private insertAgendaItem(
    tx: Tx,
    meetingId: string,
    position: number,
    dto: CreateAgendaItemDto,
  ): Promise<AgendaItemEntity> {
    return tx.manager.save(
      tx.manager.create(AgendaItemEntity, {
        meetingId,
        position,
        title: dto.title,
        category: dto.category,
        topics: dto.topics ?? [],
        state: 'pending',
      }),
    );
  }
}
