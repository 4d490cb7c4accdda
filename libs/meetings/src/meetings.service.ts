import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Constituency, InvitationStatus, MeetingSnapshot, MeetingStatus } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import {
  type Actor,
  APP_CONFIG,
  type AppConfig,
  AuditService,
  conflict,
  DomainException,
  EventLogService,
  forbidden,
  invalid,
  meetingStream,
  notFound,
  NotificationService,
  Db,
} from '@liexi/platform';
import { In, Not, Repository } from 'typeorm';
import { type AgendaAttachment, AgendaItemEntity } from './agenda-item.entity';
import { AgendaTaxonomyService } from './agenda-taxonomy.service';
import { renderIcs } from './ics';
import { inviteeNotice, type InviteeNoticeKind } from './invitation-notices';
import {
  allowedInvitationActions,
  type InvitationAction,
  invitationTarget,
  meetingAllowsInvitationAction,
  SEAT_HOLDING,
} from './invitation-workflow';
import { type InvitationExplanation, InvitationEntity } from './invitation.entity';
import { MeetingEntity } from './meeting.entity';
import {
  allowedMeetingActions,
  isMeetingEditable,
  type MeetingAction,
  meetingTarget,
} from './meeting-status';
import type { CreateAgendaItemDto, CreateMeetingDto } from './meetings.dto';
import type { AddAttachmentDto, UpdateAgendaItemDto, UpdateMeetingDto } from './planning.dto';

/** An invitation as the api shows it: never the check-in code hash, never contact details. */
export interface InvitationView {
  id: string;
  meetingId: string;
  participantId: string;
  participantName?: string;
  constituency: Constituency | null;
  status: InvitationStatus;
  source: string;
  policyId: string | null;
  /** Why this person was invited (secretariat only). */
  explanation?: InvitationExplanation | null;
  declineReason: string | null;
  respondedAt: Date | null;
  checkedInAt: Date | null;
  withdrawnAt: Date | null;
  checkinCodeExpiresAt: Date | null;
  checkinCodeUsedAt: Date | null;
  invitedAt: Date;
}

export interface FigureCounts {
  invited: number;
  declined: number;
  attended: number;
  absent: number;
  distinctInvited: number;
  distinctAttended: number;
}

export interface InvitationCountRows {
  total: FigureCounts;
  byConstituency: (FigureCounts & { constituency: string })[];
  byCategory: (FigureCounts & { category: string })[];
  byMonth: (FigureCounts & { month: string })[];
}

const OVERSEERS = new Set(['secretariat', 'leader', 'supervisor']);

export interface MeetingView extends MeetingEntity {
  agenda: AgendaItemEntity[];
}

@Injectable()
export class MeetingsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly directory: DirectoryService,
    private readonly taxonomy: AgendaTaxonomyService,
    private readonly notifications: NotificationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Through the unit of work: inside a transaction, on its connection. */
  private get meetings(): Repository<MeetingEntity> {
    return this.db.manager.getRepository(MeetingEntity);
  }

  /** Through the unit of work: inside a transaction, on its connection. */
  private get agendaItems(): Repository<AgendaItemEntity> {
    return this.db.manager.getRepository(AgendaItemEntity);
  }

  /** Through the unit of work: inside a transaction, on its connection. */
  private get invitations(): Repository<InvitationEntity> {
    return this.db.manager.getRepository(InvitationEntity);
  }

  async create(actor: Actor, dto: CreateMeetingDto): Promise<MeetingView> {
    if (dto.endsAt.getTime() <= dto.startsAt.getTime()) {
      throw invalid('a meeting must end after it starts', { endsAt: ['must be after startsAt'] });
    }
    for (const [i, item] of (dto.agenda ?? []).entries()) await this.validateAgendaTerms(item, `agenda.${i}`);
    return this.db.transaction(async () => {
      const meeting = await this.db.manager.save(
        this.db.manager.create(MeetingEntity, {
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
        agenda.push(await this.insertAgendaItem(meeting.id, i + 1, item));
      }
      await this.audit.record(actor, {
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
        where: { participantId: actor.participantId, status: Not(In(['declined', 'withdrawn'])) },
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
  async require(id: string): Promise<MeetingEntity> {
    const meeting = await this.db.manager.findOne(MeetingEntity, { where: { id } });
    if (!meeting) throw notFound('meeting', id);
    return meeting;
  }

  agenda(meetingId: string): Promise<AgendaItemEntity[]> {
    return this.db.manager.find(AgendaItemEntity, {
      where: { meetingId },
      order: { position: 'ASC' },
    });
  }

  async addAgendaItem(actor: Actor, meetingId: string, dto: CreateAgendaItemDto): Promise<AgendaItemEntity> {
    await this.validateAgendaTerms(dto, '');
    return this.db.transaction(async () => {
      const meeting = await this.lockMeeting(meetingId);
      if (!isMeetingEditable(meeting.status))
        throw new DomainException('INVALID_TRANSITION', `a ${meeting.status} meeting cannot be edited`);
      const rows: { max: number | null }[] = await this.db.manager.query(
        'SELECT max(position) AS max FROM agenda_item WHERE meeting_id = $1',
        [meetingId],
      );
      const item = await this.insertAgendaItem(meetingId, (rows[0]?.max ?? 0) + 1, dto);
      await this.audit.record(actor, {
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
    return this.db.transaction(async () => {
      const meeting = await this.lockMeeting(meetingId);
      const to = meetingTarget(meeting.status, action);
      if (!to) {
        throw new DomainException('INVALID_TRANSITION', `cannot ${action} a ${meeting.status} meeting`, {
          allowed: allowedMeetingActions(meeting.status),
        });
      }
      const before = { status: meeting.status };
      meeting.status = to;
      await this.db.manager.update(MeetingEntity, { id: meetingId }, { status: to });
      await this.audit.record(actor, {
        action: `meeting.${action}`,
        entityType: 'meeting',
        entityId: meetingId,
        before,
        after: { status: to },
      });
      if (action === 'cancel') await this.notifyInvitees(meeting, 'cancelled', `cancel:${meetingId}`);
      // Invitations made while the meeting was a draft are announced when it is scheduled.
      if (action === 'schedule') await this.notifyInvitees(meeting, 'invited', 'invited');
      if (action === 'open')
        await this.events.append(meetingStream(meetingId), 'meeting.opened', { meetingId, status: to });
      if (action === 'adjourn')
        await this.events.append(meetingStream(meetingId), 'meeting.adjourned', {
          meetingId,
          status: to,
        });
      return meeting;
    });
  }

  /**
   * The secretariat invites a person by hand. A withdrawn invitation is renewed; a person booked
   * into an overlapping meeting is still invited (a deliberate choice) but the overlap is noted in
   * the explanation. The person is notified after commit.
   */
  async invite(actor: Actor, meetingId: string, participantId: string): Promise<InvitationEntity> {
    const participant = await this.directory.getParticipant(participantId);
    if (!participant.active)
      throw invalid(`participant ${participantId} is inactive`, { participantId: ['inactive participant'] });
    return this.db.transaction(async () => {
      await this.lockPlanning();
      const meeting = await this.lockMeeting(meetingId);
      if (!isMeetingEditable(meeting.status))
        throw new DomainException('INVALID_TRANSITION', `a ${meeting.status} meeting cannot be edited`);
      const overlaps = await this.overlappingBookings(meeting, [participantId]);
      const explanation: InvitationExplanation = {
        source: 'manual',
        reasons: [{ zh: '秘书处手工邀请', en: 'invited by hand by the secretariat' }],
      };
      for (const o of overlaps.get(participantId) ?? [])
        explanation.reasons.push({
          zh: `注意：与「${o.title}」时间重叠`,
          en: `note: overlaps with "${o.title}"`,
        });
      const existing = await this.db.manager.findOne(InvitationEntity, {
        where: { meetingId, participantId },
      });
      let invitation: InvitationEntity;
      if (existing && existing.status !== 'withdrawn')
        throw conflict(`participant ${participantId} is already invited`);
      if (existing) {
        await this.db.manager.update(
          InvitationEntity,
          { id: existing.id, status: 'withdrawn' },
          {
            status: 'invited',
            source: 'manual',
            policyId: null,
            explanation,
            withdrawnAt: null,
            declineReason: null,
            respondedAt: null,
            constituency: participant.constituency,
          },
        );
        invitation = await this.db.manager.findOneOrFail(InvitationEntity, { where: { id: existing.id } });
      } else {
        invitation = await this.db.manager.save(
          this.db.manager.create(InvitationEntity, {
            meetingId,
            participantId,
            status: 'invited',
            constituency: participant.constituency,
            source: 'manual',
            explanation,
          }),
        );
      }
      await this.audit.record(actor, {
        action: 'invitation.created',
        entityType: 'invitation',
        entityId: invitation.id,
        after: { meetingId, participantId, status: invitation.status, source: 'manual' },
      });
      if (meeting.status !== 'draft')
        await this.notifications.enqueue(
          inviteeNotice('invited', meeting, participant, {
            timeZone: this.config.timeZone,
            dedupe: `invited:${invitation.id}:${invitation.invitedAt.getTime()}:${Date.now()}`,
          }),
        );
      return invitation;
    });
  }

  async listInvitations(actor: Actor, meetingId: string): Promise<InvitationView[]> {
    await this.requireFollower(actor, meetingId);
    const where =
      actor.role === 'attendee' ? { meetingId, participantId: actor.participantId ?? '' } : { meetingId };
    const rows = await this.invitations.find({ where, order: { invitedAt: 'ASC' } });
    const people = await this.directory.participantsByIds(rows.map((r) => r.participantId));
    return rows.map((r) => this.invitationView(r, actor, people.get(r.participantId)?.name));
  }

  async myInvitations(actor: Actor): Promise<InvitationView[]> {
    if (!actor.participantId) return [];
    const rows = await this.invitations.find({
      where: { participantId: actor.participantId, status: Not('withdrawn') },
      order: { invitedAt: 'DESC' },
    });
    return rows.map((r) => this.invitationView(r, actor));
  }

  invitationView(inv: InvitationEntity, actor: Actor, participantName?: string): InvitationView {
    const view: InvitationView = {
      id: inv.id,
      meetingId: inv.meetingId,
      participantId: inv.participantId,
      constituency: inv.constituency,
      status: inv.status,
      source: inv.source,
      policyId: inv.policyId,
      declineReason: inv.declineReason,
      respondedAt: inv.respondedAt,
      checkedInAt: inv.checkedInAt,
      withdrawnAt: inv.withdrawnAt,
      checkinCodeExpiresAt: inv.checkinCodeExpiresAt,
      checkinCodeUsedAt: inv.checkinCodeUsedAt,
      invitedAt: inv.invitedAt,
    };
    if (participantName !== undefined) view.participantName = participantName;
    if (actor.role === 'secretariat') view.explanation = inv.explanation;
    return view;
  }

  /** The invitation, if the actor may see it: the secretariat, or the invitee. */
  async requireInvitation(actor: Actor, invitationId: string): Promise<InvitationEntity> {
    const inv = await this.invitations.findOne({ where: { id: invitationId } });
    if (!inv) throw notFound('invitation', invitationId);
    if (actor.role !== 'secretariat' && (!actor.participantId || actor.participantId !== inv.participantId))
      throw forbidden('not your invitation');
    return inv;
  }

  /** The attendee (or the secretariat at the door) checks in: invited/accepted → checked_in. */
  async checkIn(actor: Actor, invitationId: string): Promise<InvitationEntity> {
    return this.db.transaction(async () => {
      const inv = await this.db.manager.findOne(InvitationEntity, { where: { id: invitationId } });
      if (!inv) throw notFound('invitation', invitationId);
      if (actor.role !== 'secretariat' && actor.participantId !== inv.participantId)
        throw forbidden('not your invitation');
      return this.checkInTx(actor, inv);
    });
  }

  /** Check-in inside the caller's transaction (also used by the one-time code). */
  async checkInTx(actor: Actor | null, inv: InvitationEntity): Promise<InvitationEntity> {
    const { invitation } = await this.moveInvitation(actor, inv.id, 'check_in', {
      checkedInAt: new Date(),
    });
    const participant = await this.directory.getParticipant(invitation.participantId);
    await this.events.append(meetingStream(invitation.meetingId), 'attendance.changed', {
      participantId: invitation.participantId,
      name: participant.name,
      status: invitation.status,
      present: await this.presentCount(invitation.meetingId),
    });
    return invitation;
  }

  /** The invitee accepts, or declines with a reason. */
  async respond(
    actor: Actor,
    invitationId: string,
    answer: 'accept' | 'decline',
    reason?: string,
  ): Promise<InvitationView> {
    const inv = await this.requireInvitation(actor, invitationId);
    if (actor.participantId !== inv.participantId) throw forbidden('only the invitee answers an invitation');
    return this.db.transaction(async () => {
      const { invitation } = await this.moveInvitation(actor, invitationId, answer, {
        respondedAt: new Date(),
        declineReason: answer === 'decline' ? (reason ?? null) : null,
      });
      return this.invitationView(invitation, actor);
    });
  }

  /** After the meeting adjourns, the secretariat marks who attended and who was absent. */
  async markAttendance(
    actor: Actor,
    invitationId: string,
    action: 'mark_attended' | 'mark_absent',
  ): Promise<InvitationView> {
    return this.db.transaction(async () => {
      const { invitation } = await this.moveInvitation(actor, invitationId, action, {});
      return this.invitationView(invitation, actor);
    });
  }

  /** Checked-in invitations become attended, unanswered and accepted ones absent (after adjourning). */
  async finalizeAttendance(actor: Actor, meetingId: string): Promise<{ attended: number; absent: number }> {
    return this.db.transaction(async () => {
      const meeting = await this.lockMeeting(meetingId);
      if (!meetingAllowsInvitationAction(meeting.status, 'mark_attended'))
        throw new DomainException(
          'INVALID_TRANSITION',
          `attendance is marked once the meeting has adjourned (it is ${meeting.status})`,
          { allowed: allowedMeetingActions(meeting.status) },
        );
      const attended: unknown[] = await this.db.manager.query(
        `UPDATE invitation SET status = 'attended' WHERE meeting_id = $1 AND status = 'checked_in' RETURNING id`,
        [meetingId],
      );
      const absent: unknown[] = await this.db.manager.query(
        `UPDATE invitation SET status = 'absent' WHERE meeting_id = $1 AND status IN ('invited','accepted') RETURNING id`,
        [meetingId],
      );
      const result = { attended: rowCount(attended), absent: rowCount(absent) };
      await this.audit.record(actor, {
        action: 'meeting.attendance_finalized',
        entityType: 'meeting',
        entityId: meetingId,
        after: result,
      });
      return result;
    });
  }

  /** The secretariat removes a person: the invitation is withdrawn (kept for the record) and they are told. */
  async withdraw(actor: Actor, invitationId: string, reason?: string): Promise<InvitationView> {
    return this.db.transaction(async () => {
      const { invitation, meeting, from } = await this.moveInvitation(actor, invitationId, 'withdraw', {
        withdrawnAt: new Date(),
      });
      if (from !== 'declined' && meeting.status !== 'draft') {
        const people = await this.directory.participantsByIds([invitation.participantId]);
        const person = people.get(invitation.participantId);
        if (person)
          await this.notifications.enqueue(
            inviteeNotice('withdrawn', meeting, person, {
              timeZone: this.config.timeZone,
              dedupe: `withdrawn:${invitation.id}:${Date.now()}`,
              reason: reason ?? null,
            }),
          );
      }
      return this.invitationView(invitation, actor);
    });
  }

  /**
   * One step of the invitation table, as a guarded UPDATE … WHERE status = :from (a racing
   * loser gets CONFLICT). Illegal steps get INVALID_TRANSITION with the allowed actions.
   */
  private async moveInvitation(
    actor: Actor | null,
    invitationId: string,
    action: InvitationAction,
    changes: Partial<Pick<InvitationEntity, 'respondedAt' | 'declineReason' | 'checkedInAt' | 'withdrawnAt'>>,
  ): Promise<{ invitation: InvitationEntity; meeting: MeetingEntity; from: InvitationStatus }> {
    const inv = await this.db.manager.findOne(InvitationEntity, { where: { id: invitationId } });
    if (!inv) throw notFound('invitation', invitationId);
    const meeting = await this.require(inv.meetingId);
    const to = invitationTarget(inv.status, action);
    if (!to)
      throw new DomainException(
        'INVALID_TRANSITION',
        `cannot ${action} an invitation that is ${inv.status}`,
        {
          allowed: allowedInvitationActions(inv.status),
        },
      );
    if (!meetingAllowsInvitationAction(meeting.status, action))
      throw new DomainException(
        'INVALID_TRANSITION',
        `cannot ${action} while the meeting is ${meeting.status}`,
        {
          allowed: allowedInvitationActions(inv.status).filter((a) =>
            meetingAllowsInvitationAction(meeting.status, a),
          ),
        },
      );
    const result = await this.db.manager.update(
      InvitationEntity,
      { id: inv.id, status: inv.status },
      { status: to, ...changes },
    );
    if (result.affected !== 1) throw conflict(`invitation ${inv.id} changed meanwhile; reload and retry`);
    const from = inv.status;
    Object.assign(inv, changes, { status: to });
    await this.audit.record(actor, {
      action: `invitation.${action}`,
      entityType: 'invitation',
      entityId: inv.id,
      before: { status: from },
      after: { status: to, ...(changes.declineReason ? { declineReason: changes.declineReason } : {}) },
    });
    return { invitation: inv, meeting, from };
  }

  /** The invitation as an iCalendar file (attendee: own invitations only). */
  async calendar(actor: Actor, invitationId: string): Promise<string> {
    const inv = await this.requireInvitation(actor, invitationId);
    const meeting = await this.require(inv.meetingId);
    const agenda = await this.agenda(meeting.id);
    return renderIcs({
      uid: `${inv.id}@liexi`,
      start: meeting.startsAt,
      end: meeting.endsAt,
      summary: meeting.title,
      location: meeting.place,
      description: agenda.map((a) => `${a.position}. ${a.title}`).join('\n') || null,
      cancelled: meeting.status === 'cancelled' || inv.status === 'withdrawn',
      sequence:
        Math.floor(meeting.updatedAt.getTime() / 1000) - Math.floor(meeting.createdAt.getTime() / 1000),
      stamp: meeting.updatedAt,
    });
  }

  /** Edits a meeting; refused for cancelled or closed ones. Time or place changes notify invitees. */
  async update(actor: Actor, meetingId: string, dto: UpdateMeetingDto): Promise<MeetingView> {
    return this.db.transaction(async () => {
      const meeting = await this.lockMeeting(meetingId);
      if (!isMeetingEditable(meeting.status))
        throw new DomainException('INVALID_TRANSITION', `a ${meeting.status} meeting cannot be edited`, {
          allowed: allowedMeetingActions(meeting.status),
        });
      const startsAt = dto.startsAt ?? meeting.startsAt;
      const endsAt = dto.endsAt ?? meeting.endsAt;
      if (endsAt.getTime() <= startsAt.getTime())
        throw invalid('a meeting must end after it starts', { endsAt: ['must be after startsAt'] });
      const before = { ...meeting };
      const changes: string[] = [];
      if (startsAt.getTime() !== meeting.startsAt.getTime() || endsAt.getTime() !== meeting.endsAt.getTime())
        changes.push('time');
      if (dto.place !== undefined && dto.place !== meeting.place) changes.push('place');
      Object.assign(meeting, {
        kind: dto.kind ?? meeting.kind,
        title: dto.title ?? meeting.title,
        startsAt,
        endsAt,
        place: dto.place ?? meeting.place,
        chair: dto.chair ?? meeting.chair,
      });
      await this.db.manager.update(
        MeetingEntity,
        { id: meetingId },
        {
          kind: meeting.kind,
          title: meeting.title,
          startsAt,
          endsAt,
          place: meeting.place,
          chair: meeting.chair,
        },
      );
      if (changes.includes('time'))
        await this.db.manager.query(
          `UPDATE invitation SET checkin_code_expires_at = $2
           WHERE meeting_id = $1 AND checkin_code_hash IS NOT NULL AND checkin_code_used_at IS NULL`,
          [meetingId, endsAt],
        );
      await this.audit.record(actor, {
        action: 'meeting.updated',
        entityType: 'meeting',
        entityId: meetingId,
        before,
        after: meeting,
      });
      if (changes.length > 0 && meeting.status !== 'draft')
        await this.notifyInvitees(meeting, 'changed', `changed:${meetingId}:${randomUUID()}`, changes);
      const updated = await this.require(meetingId);
      return { ...updated, agenda: await this.agenda(meetingId) };
    });
  }

  async updateAgendaItem(
    actor: Actor,
    meetingId: string,
    itemId: string,
    dto: UpdateAgendaItemDto,
  ): Promise<AgendaItemEntity> {
    if (dto.category !== undefined) await this.taxonomy.requireTerms('category', [dto.category], 'category');
    if (dto.topics !== undefined) await this.taxonomy.requireTerms('topic', dto.topics, 'topics');
    return this.db.transaction(async () => {
      await this.lockEditable(meetingId);
      const item = await this.agendaItemIn(meetingId, itemId);
      const before = { ...item };
      Object.assign(item, {
        title: dto.title ?? item.title,
        category: dto.category ?? item.category,
        topics: dto.topics ?? item.topics,
        state: dto.state ?? item.state,
      });
      await this.db.manager.update(
        AgendaItemEntity,
        { id: itemId },
        { title: item.title, category: item.category, topics: item.topics, state: item.state },
      );
      await this.audit.record(actor, {
        action: 'agenda_item.updated',
        entityType: 'agenda_item',
        entityId: itemId,
        before,
        after: item,
      });
      return item;
    });
  }

  async removeAgendaItem(actor: Actor, meetingId: string, itemId: string): Promise<AgendaItemEntity[]> {
    return this.db.transaction(async () => {
      await this.lockEditable(meetingId);
      const item = await this.agendaItemIn(meetingId, itemId);
      await this.db.manager.delete(AgendaItemEntity, { id: itemId });
      const rest = await this.agenda(meetingId);
      await this.writePositions(rest.map((r) => r.id));
      await this.audit.record(actor, {
        action: 'agenda_item.removed',
        entityType: 'agenda_item',
        entityId: itemId,
        before: item,
      });
      return this.agenda(meetingId);
    });
  }

  /** Rewrites every position at once; the ids must be exactly the meeting's items. */
  async reorderAgenda(actor: Actor, meetingId: string, itemIds: string[]): Promise<AgendaItemEntity[]> {
    return this.db.transaction(async () => {
      await this.lockEditable(meetingId);
      const current = await this.agenda(meetingId);
      const have = new Set(current.map((c) => c.id));
      if (
        new Set(itemIds).size !== itemIds.length ||
        itemIds.length !== have.size ||
        !itemIds.every((i) => have.has(i))
      )
        throw invalid('itemIds must list every item of the meeting exactly once', {
          itemIds: ['must be a permutation of the meeting’s agenda item ids'],
        });
      await this.writePositions(itemIds);
      await this.audit.record(actor, {
        action: 'agenda.reordered',
        entityType: 'meeting',
        entityId: meetingId,
        before: { order: current.map((c) => c.id) },
        after: { order: itemIds },
      });
      return this.agenda(meetingId);
    });
  }

  async addAttachment(
    actor: Actor,
    meetingId: string,
    itemId: string,
    dto: AddAttachmentDto,
  ): Promise<AgendaItemEntity> {
    return this.db.transaction(async () => {
      await this.lockEditable(meetingId);
      const item = await this.agendaItemIn(meetingId, itemId);
      const attachment: AgendaAttachment = { id: randomUUID(), title: dto.title, url: dto.url };
      if (item.attachments.length >= 50) throw invalid('at most 50 attachments per item');
      item.attachments = [...item.attachments, attachment];
      await this.db.manager.update(AgendaItemEntity, { id: itemId }, { attachments: item.attachments });
      await this.audit.record(actor, {
        action: 'agenda_item.attachment_added',
        entityType: 'agenda_item',
        entityId: itemId,
        after: attachment,
      });
      return item;
    });
  }

  async removeAttachment(
    actor: Actor,
    meetingId: string,
    itemId: string,
    attachmentId: string,
  ): Promise<AgendaItemEntity> {
    return this.db.transaction(async () => {
      await this.lockEditable(meetingId);
      const item = await this.agendaItemIn(meetingId, itemId);
      const gone = item.attachments.find((a) => a.id === attachmentId);
      if (!gone) throw notFound('attachment', attachmentId);
      item.attachments = item.attachments.filter((a) => a.id !== attachmentId);
      await this.db.manager.update(AgendaItemEntity, { id: itemId }, { attachments: item.attachments });
      await this.audit.record(actor, {
        action: 'agenda_item.attachment_removed',
        entityType: 'agenda_item',
        entityId: itemId,
        before: gone,
      });
      return item;
    });
  }

  /**
   * Person-times counted from invitation rows at request time: invited (every invitation not
   * withdrawn, in meetings not cancelled, starting in [from, to)), declined, attended (checked in
   * or attended), absent, and distinct people. By constituency (as invited), by agenda category
   * (a person-time counts once under each category on its meeting's agenda) and by local month.
   */
  async invitationCounts(filter: { from?: Date; to?: Date }): Promise<InvitationCountRows> {
    const counts = `count(*)::int AS invited,
      count(*) FILTER (WHERE i.status = 'declined')::int AS declined,
      count(*) FILTER (WHERE i.status IN ('checked_in','attended'))::int AS attended,
      count(*) FILTER (WHERE i.status = 'absent')::int AS absent,
      count(DISTINCT i.participant_id)::int AS "distinctInvited",
      count(DISTINCT i.participant_id) FILTER (WHERE i.status IN ('checked_in','attended'))::int AS "distinctAttended"`;
    const base = `FROM invitation i JOIN meeting m ON m.id = i.meeting_id
      WHERE m.status <> 'cancelled' AND i.status <> 'withdrawn'
        AND ($1::timestamptz IS NULL OR m.starts_at >= $1) AND ($2::timestamptz IS NULL OR m.starts_at < $2)`;
    const params = [filter.from ?? null, filter.to ?? null];
    const q = this.invitations.manager;
    const [total] = await q.query<FigureCounts[]>(`SELECT ${counts} ${base}`, params);
    const byConstituency = await q.query<InvitationCountRows['byConstituency']>(
      `SELECT coalesce(i.constituency, 'unknown') AS constituency, ${counts} ${base} GROUP BY 1 ORDER BY 1`,
      params,
    );
    const byCategory = await q.query<InvitationCountRows['byCategory']>(
      `SELECT c.category, ${counts}
       FROM invitation i JOIN meeting m ON m.id = i.meeting_id
       JOIN (SELECT DISTINCT meeting_id, category FROM agenda_item) c ON c.meeting_id = m.id
       WHERE m.status <> 'cancelled' AND i.status <> 'withdrawn'
         AND ($1::timestamptz IS NULL OR m.starts_at >= $1) AND ($2::timestamptz IS NULL OR m.starts_at < $2)
       GROUP BY 1 ORDER BY 1`,
      params,
    );
    const byMonth = await q.query<InvitationCountRows['byMonth']>(
      `SELECT to_char(m.starts_at AT TIME ZONE $3, 'YYYY-MM') AS month, ${counts} ${base} GROUP BY 1 ORDER BY 1`,
      [...params, this.config.timeZone],
    );
    return {
      total: total ?? {
        invited: 0,
        declined: 0,
        attended: 0,
        absent: 0,
        distinctInvited: 0,
        distinctAttended: 0,
      },
      byConstituency,
      byCategory,
      byMonth,
    };
  }

  /** Notifies every invitee holding a seat, inside the transaction of the change. */
  private async notifyInvitees(
    meeting: MeetingEntity,
    kind: InviteeNoticeKind,
    dedupe: string,
    changes?: string[],
  ): Promise<void> {
    const invs = await this.db.manager.find(InvitationEntity, {
      where: { meetingId: meeting.id, status: In([...SEAT_HOLDING]) },
    });
    const people = await this.directory.participantsByIds(invs.map((i) => i.participantId));
    for (const inv of invs) {
      const person = people.get(inv.participantId);
      if (!person) continue;
      await this.notifications.enqueue(
        inviteeNotice(kind, meeting, person, {
          timeZone: this.config.timeZone,
          dedupe: `${dedupe}:${inv.id}`,
          ...(changes ? { changes } : {}),
        }),
      );
    }
  }

  /** Person id → overlapping seat-holding bookings in other, non-cancelled meetings. */
  async overlappingBookings(
    meeting: Pick<MeetingEntity, 'id' | 'startsAt' | 'endsAt'>,
    participantIds: string[],
  ): Promise<Map<string, { meetingId: string; title: string; startsAt: Date }[]>> {
    const out = new Map<string, { meetingId: string; title: string; startsAt: Date }[]>();
    if (participantIds.length === 0) return out;
    const rows: { participant_id: string; meeting_id: string; title: string; starts_at: Date }[] =
      await this.db.manager.query(
        `SELECT i.participant_id, m.id AS meeting_id, m.title, m.starts_at
         FROM invitation i JOIN meeting m ON m.id = i.meeting_id
         WHERE i.participant_id = ANY($1::uuid[]) AND m.id <> $2 AND m.status <> 'cancelled'
           AND i.status = ANY($5::text[]) AND m.starts_at < $4 AND m.ends_at > $3
         ORDER BY m.starts_at`,
        [participantIds, meeting.id, meeting.startsAt, meeting.endsAt, [...SEAT_HOLDING]],
      );
    for (const r of rows) {
      const list = out.get(r.participant_id) ?? [];
      list.push({ meetingId: r.meeting_id, title: r.title, startsAt: r.starts_at });
      out.set(r.participant_id, list);
    }
    return out;
  }

  /** Serializes invitation planning so two meetings cannot double-book a person at once. */
  async lockPlanning(): Promise<void> {
    await this.db.manager.query(`SELECT pg_advisory_xact_lock(hashtext('liexi:invitation-planning'))`);
  }

  private async lockEditable(meetingId: string): Promise<MeetingEntity> {
    const meeting = await this.lockMeeting(meetingId);
    if (!isMeetingEditable(meeting.status))
      throw new DomainException('INVALID_TRANSITION', `a ${meeting.status} meeting cannot be edited`, {
        allowed: allowedMeetingActions(meeting.status),
      });
    return meeting;
  }

  private async agendaItemIn(meetingId: string, itemId: string): Promise<AgendaItemEntity> {
    const item = await this.db.manager.findOne(AgendaItemEntity, { where: { id: itemId, meetingId } });
    if (!item) throw notFound('agenda item', itemId);
    return item;
  }

  /** Positions 1..n in one statement. */
  private async writePositions(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.manager.query(
      `UPDATE agenda_item a SET position = o.ord
       FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, ord) WHERE a.id = o.id`,
      [ids],
    );
  }

  private async validateAgendaTerms(item: CreateAgendaItemDto, prefix: string): Promise<void> {
    const p = prefix ? `${prefix}.` : '';
    await this.taxonomy.requireTerms('category', [item.category], `${p}category`);
    await this.taxonomy.requireTerms('topic', item.topics ?? [], `${p}topics`);
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
      if (inv && inv.status !== 'declined' && inv.status !== 'withdrawn') return meeting;
    }
    throw forbidden(`not invited to meeting ${meetingId}`);
  }

  /**
   * May this actor contribute now? Attendees must be checked in; the meeting must be in session
   * (SESSION_CLOSED otherwise). Call inside the transaction that stores the contribution.
   */
  async requireContributor(
    actor: Actor,
    meetingId: string,
  ): Promise<{ meeting: MeetingEntity; participantId: string }> {
    const meeting = await this.db.manager.findOne(MeetingEntity, {
      where: { id: meetingId },
      lock: { mode: 'pessimistic_read' },
    });
    if (!meeting) throw notFound('meeting', meetingId);
    if (!actor.participantId) throw forbidden('only attendees contribute input');
    const inv = await this.db.manager.findOne(InvitationEntity, {
      where: { meetingId, participantId: actor.participantId },
    });
    if (!inv || inv.status === 'declined' || inv.status === 'withdrawn')
      throw forbidden(`not invited to meeting ${meetingId}`);
    if (meeting.status !== 'in_session')
      throw new DomainException('SESSION_CLOSED', `the meeting is ${meeting.status}`);
    if (inv.status !== 'checked_in' && inv.status !== 'attended')
      throw forbidden('check in before contributing');
    return { meeting, participantId: actor.participantId };
  }

  /**
   * `requireContributor` for many (meeting, participant) pairs at once, for a group commit:
   * two statements whatever the count, the meetings share-locked so an adjourn waits for the
   * batch in flight. Per pair: null (may contribute) or the error requireContributor throws.
   */
  async contributorErrors(
    pairs: { meetingId: string; participantId: string | null }[],
  ): Promise<(DomainException | null)[]> {
    const meetingIds = [...new Set(pairs.map((p) => p.meetingId))].sort();
    const participantIds = [...new Set(pairs.flatMap((p) => (p.participantId ? [p.participantId] : [])))];
    const meetings: { id: string; status: MeetingStatus }[] = await this.db.manager.query(
      'SELECT id, status FROM meeting WHERE id = ANY($1::uuid[]) ORDER BY id FOR SHARE',
      [meetingIds],
    );
    const invitations: { meeting_id: string; participant_id: string; status: InvitationStatus }[] =
      participantIds.length === 0
        ? []
        : await this.db.manager.query(
            `SELECT meeting_id, participant_id, status FROM invitation
             WHERE meeting_id = ANY($1::uuid[]) AND participant_id = ANY($2::uuid[])`,
            [meetingIds, participantIds],
          );
    const status = new Map(meetings.map((m) => [m.id, m.status]));
    const invited = new Map(invitations.map((i) => [`${i.meeting_id}|${i.participant_id}`, i.status]));
    return pairs.map(({ meetingId, participantId }) => {
      const meetingStatus = status.get(meetingId);
      if (!meetingStatus) return notFound('meeting', meetingId);
      if (!participantId) return forbidden('only attendees contribute input');
      const inv = invited.get(`${meetingId}|${participantId}`);
      if (!inv || inv === 'declined' || inv === 'withdrawn')
        return forbidden(`not invited to meeting ${meetingId}`);
      if (meetingStatus !== 'in_session')
        return new DomainException('SESSION_CLOSED', `the meeting is ${meetingStatus}`);
      if (inv !== 'checked_in' && inv !== 'attended') return forbidden('check in before contributing');
      return null;
    });
  }

  async attendance(meetingId: string): Promise<MeetingSnapshot['attendance']> {
    const rows: { present: string; invited: string }[] = await this.db.manager.query(
      `SELECT count(*) FILTER (WHERE status IN ('checked_in','attended')) AS present,
              count(*) FILTER (WHERE status NOT IN ('declined','withdrawn')) AS invited
       FROM invitation WHERE meeting_id = $1`,
      [meetingId],
    );
    return { present: Number(rows[0]?.present ?? 0), invited: Number(rows[0]?.invited ?? 0) };
  }

  private async presentCount(meetingId: string): Promise<number> {
    return this.db.manager.count(InvitationEntity, {
      where: { meetingId, status: In(['checked_in', 'attended']) },
    });
  }

  private async lockMeeting(meetingId: string): Promise<MeetingEntity> {
    const meeting = await this.db.manager.findOne(MeetingEntity, {
      where: { id: meetingId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!meeting) throw notFound('meeting', meetingId);
    return meeting;
  }

  private insertAgendaItem(
    meetingId: string,
    position: number,
    dto: CreateAgendaItemDto,
  ): Promise<AgendaItemEntity> {
    return this.db.manager.save(
      this.db.manager.create(AgendaItemEntity, {
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

function rowCount(result: unknown[]): number {
  // node-postgres returns [rows, count] for UPDATE … RETURNING through TypeORM.
  const first = result[0];
  return Array.isArray(first) ? first.length : result.length;
}
