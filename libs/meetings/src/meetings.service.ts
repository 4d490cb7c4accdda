import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { InvitationStatus, MeetingSnapshot, MeetingStatus } from '@liexi/contracts';
import {
  type Actor,
  AuditService,
  Clock,
  Db,
  DomainException,
  EventLogService,
  forbidden,
  invalid,
  meetingStream,
  notFound,
  keysetPage,
  mapPage,
  type Page,
} from '@liexi/platform';
import { AccountAccessService } from '@liexi/directory';
import { AgendaItemEntity } from './agenda-item.entity';
import { AgendaService } from './agenda.service';
import { AttendanceService } from './attendance.service';
import { InvitationEntity } from './invitation.entity';
import { InvitationsService } from './invitations.service';
import { MeetingEntity } from './meeting.entity';
import { MeetingRecords, OVERSEERS, type UnitConcern } from './meeting-records';
import { allowedMeetingActions, type MeetingAction, meetingTarget } from './meeting-status';
import type { CreateMeetingDto, ListMeetingsQueryDto } from './meetings.dto';
import { toMeetingSummary, toMeetingView } from './meetings.mapping';
import type {
  AgendaItemView,
  ContributorView,
  InvitationCountRows,
  InvitationView,
  MeetingSummaryView,
  MeetingView,
} from './meetings.views';
import type { UpdateMeetingDto } from './planning.dto';

/** Meeting ends that start the retention clock of its live event log. */
const ENDED: readonly MeetingStatus[] = ['closed', 'cancelled'];

/**
 * 会议: planning a meeting, its lifecycle, and who may follow it or contribute to it. The
 * front door of the context for the others: the agenda, attendance and invitation operations
 * they call are answered here by the service that owns them.
 */
@Injectable()
export class MeetingsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly clock: Clock,
    private readonly records: MeetingRecords,
    private readonly agendaItems: AgendaService,
    private readonly invitations: InvitationsService,
    private readonly attendances: AttendanceService,
    private readonly accounts: AccountAccessService,
  ) {}

  async create(actor: Actor, dto: CreateMeetingDto): Promise<MeetingView> {
    if (dto.endsAt.getTime() <= dto.startsAt.getTime()) {
      throw invalid('a meeting must end after it starts', { endsAt: ['must be after startsAt'] });
    }
    return this.db.transaction(async () => {
      if (dto.chairAccountId)
        await this.accounts.requireActive(dto.chairAccountId, 'leader', 'chairAccountId');
      for (const [i, item] of (dto.agenda ?? []).entries())
        await this.agendaItems.validateTerms(item, `agenda.${i}`);
      const meeting = await this.db.manager.save(
        this.db.manager.create(MeetingEntity, {
          kind: dto.kind,
          title: dto.title,
          startsAt: dto.startsAt,
          endsAt: dto.endsAt,
          place: dto.place ?? null,
          chair: dto.chair ?? null,
          chairAccountId: dto.chairAccountId ?? null,
          status: 'draft',
        }),
      );
      const agenda: AgendaItemView[] = [];
      for (const [i, item] of (dto.agenda ?? []).entries()) {
        agenda.push(await this.agendaItems.insert(meeting.id, i + 1, item));
      }
      const view = toMeetingView(meeting, agenda);
      await this.audit.record(actor, {
        action: 'meeting.created',
        entityType: 'meeting',
        entityId: meeting.id,
        after: view,
      });
      return view;
    });
  }

  /**
   * Newest first. Overseers see every meeting, attendees those they are invited to (not
   * declined or withdrawn), unit handlers those past planning.
   */
  async list(actor: Actor, query: ListMeetingsQueryDto): Promise<Page<MeetingSummaryView>> {
    const qb = this.db.manager.getRepository(MeetingEntity).createQueryBuilder('m');
    if (query.status) qb.andWhere('m.status = :status', { status: query.status });
    if (actor.role === 'attendee') {
      qb.andWhere(
        `m.id IN (SELECT meeting_id FROM invitation WHERE participant_id = :p AND status NOT IN ('declined', 'withdrawn'))`,
        { p: actor.participantId },
      );
    } else if (!OVERSEERS.has(actor.role)) {
      // Unit handlers see every meeting past planning: their items come from them.
      qb.andWhere(`m.status NOT IN ('draft', 'cancelled')`);
    }
    const order = { column: 'm.starts_at', type: 'timestamptz', id: 'm.id', direction: 'DESC' } as const;
    return mapPage(await keysetPage(qb, order, query), toMeetingSummary);
  }

  async get(actor: Actor, id: string): Promise<MeetingView> {
    const meeting = await this.records.requireFollower(actor, id);
    return toMeetingView(meeting, await this.agendaItems.list(id));
  }

  /** Edits a meeting; refused for cancelled or closed ones. Time or place changes notify invitees. */
  async update(actor: Actor, meetingId: string, dto: UpdateMeetingDto): Promise<MeetingView> {
    return this.db.transaction(async () => {
      const meeting = await this.records.lockEditable(meetingId);
      if (dto.chairAccountId)
        await this.accounts.requireActive(dto.chairAccountId, 'leader', 'chairAccountId');
      const startsAt = dto.startsAt ?? meeting.startsAt;
      const endsAt = dto.endsAt ?? meeting.endsAt;
      if (endsAt.getTime() <= startsAt.getTime())
        throw invalid('a meeting must end after it starts', { endsAt: ['must be after startsAt'] });
      const before = toMeetingSummary(meeting);
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
        chairAccountId: dto.chairAccountId ?? meeting.chairAccountId,
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
          chairAccountId: meeting.chairAccountId,
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
        after: toMeetingSummary(meeting),
      });
      if (changes.length > 0 && meeting.status !== 'draft')
        await this.invitations.notifyInvitees(
          meeting,
          'changed',
          `changed:${meetingId}:${randomUUID()}`,
          changes,
        );
      const updated = await this.records.require(meetingId);
      return toMeetingView(updated, await this.agendaItems.list(meetingId));
    });
  }

  /**
   * Moves the meeting along its status table; two racing actors cannot both win. Closing or
   * cancelling stamps `closed_at`, from which the retention of its live event log counts.
   */
  async transition(actor: Actor, meetingId: string, action: MeetingAction): Promise<MeetingSummaryView> {
    return this.db.transaction(async () => {
      const meeting = await this.records.lock(meetingId);
      // The chair opens and adjourns its session (live); everything else is the secretariat's.
      if (actor.role !== 'secretariat' && !(action === 'open' || action === 'adjourn'))
        throw forbidden(`only the secretariat may ${action} a meeting`);
      this.records.requireSteward(actor, meeting);
      const to = meetingTarget(meeting.status, action);
      if (!to) {
        throw new DomainException('INVALID_TRANSITION', `cannot ${action} a ${meeting.status} meeting`, {
          allowed: allowedMeetingActions(meeting.status),
        });
      }
      const before = { status: meeting.status };
      meeting.status = to;
      const ended = ENDED.includes(to) ? { closedAt: this.clock.now() } : {};
      await this.db.manager.update(MeetingEntity, { id: meetingId }, { status: to, ...ended });
      await this.audit.record(actor, {
        action: `meeting.${action}`,
        entityType: 'meeting',
        entityId: meetingId,
        before,
        after: { status: to },
      });
      if (action === 'cancel')
        await this.invitations.notifyInvitees(meeting, 'cancelled', `cancel:${meetingId}`);
      // Invitations made while the meeting was a draft are announced when it is scheduled.
      if (action === 'schedule') await this.invitations.notifyInvitees(meeting, 'invited', 'invited');
      if (action === 'open')
        await this.events.append(meetingStream(meetingId), 'meeting.opened', { meetingId, status: to });
      if (action === 'adjourn')
        await this.events.append(meetingStream(meetingId), 'meeting.adjourned', {
          meetingId,
          status: to,
        });
      return toMeetingSummary(meeting);
    });
  }

  // --- for the other contexts -------------------------------------------------------------

  /** The meeting (NOT_FOUND otherwise), read through the running unit of work. */
  async require(id: string): Promise<MeetingSummaryView> {
    return toMeetingSummary(await this.records.require(id));
  }

  /**
   * Another context tells which meetings concern a unit (its own records: task items, polls);
   * the handlers of a concerned unit may follow the meeting.
   */
  addUnitConcern(concern: UnitConcern): void {
    this.records.addUnitConcern(concern);
  }

  /**
   * The meeting, if the actor steers it — the secretariat, or the leader who chairs it
   * (FORBIDDEN otherwise): agenda, speakers, polls, moderation, opening and adjourning.
   */
  async requireSteward(actor: Actor, meetingId: string): Promise<MeetingSummaryView> {
    const meeting = await this.records.require(meetingId);
    this.records.requireSteward(actor, meeting);
    return toMeetingSummary(meeting);
  }

  /** Anyone who may follow the meeting live: overseers, invitees, handlers of units it concerns. */
  async requireFollower(actor: Actor, meetingId: string): Promise<MeetingSummaryView> {
    return toMeetingSummary(await this.records.requireFollower(actor, meetingId));
  }

  /**
   * May this actor contribute now? Attendees must be checked in; the meeting must be in session
   * (SESSION_CLOSED otherwise). Call inside the transaction that stores the contribution.
   */
  async requireContributor(actor: Actor, meetingId: string): Promise<ContributorView> {
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
    return { meeting: toMeetingSummary(meeting), participantId: actor.participantId };
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
    // One statement: the meetings (share-locked) and the invitations of these participants.
    const rows: {
      id: string;
      status: MeetingStatus;
      participant_id: string | null;
      invitation_status: InvitationStatus | null;
    }[] = await this.db.manager.query(
      `SELECT m.id, m.status, i.participant_id, i.status AS invitation_status
       FROM meeting m
       LEFT JOIN invitation i ON i.meeting_id = m.id AND i.participant_id = ANY($2::uuid[])
       WHERE m.id = ANY($1::uuid[]) ORDER BY m.id FOR SHARE OF m`,
      [meetingIds, participantIds],
    );
    const status = new Map(rows.map((m) => [m.id, m.status]));
    const invited = new Map(
      rows.flatMap((r) =>
        r.participant_id && r.invitation_status
          ? [[`${r.id}|${r.participant_id}`, r.invitation_status] as const]
          : [],
      ),
    );
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

  /**
   * `requireFollower` for many (actor, meeting) pairs at once — the joiners of a plenary arrive
   * together: two statements whatever the count. Per pair: null (may follow) or the error
   * requireFollower throws.
   */
  async followerErrors(pairs: { actor: Actor; meetingId: string }[]): Promise<(DomainException | null)[]> {
    const meetingIds = [...new Set(pairs.map((p) => p.meetingId))];
    const participantIds = [
      ...new Set(
        pairs.flatMap((p) =>
          p.actor.role === 'attendee' && p.actor.participantId ? [p.actor.participantId] : [],
        ),
      ),
    ];
    const meetings: { id: string; status: MeetingStatus }[] = await this.db.manager.query(
      'SELECT id, status FROM meeting WHERE id = ANY($1::uuid[])',
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
    // Unit handlers (never the tablets of a plenary): one question per concern for all of them.
    const concerned = await this.records.concerned(
      pairs.flatMap(({ actor, meetingId }) =>
        actor.role === 'unit_handler' && actor.unitId && status.has(meetingId)
          ? [{ meetingId, unitId: actor.unitId }]
          : [],
      ),
    );
    return pairs.map(({ actor, meetingId }) => {
      const meetingStatus = status.get(meetingId);
      if (!meetingStatus) return notFound('meeting', meetingId);
      if (OVERSEERS.has(actor.role)) return null;
      if (
        actor.role === 'unit_handler' &&
        meetingStatus !== 'draft' &&
        concerned.has(`${meetingId}|${actor.unitId ?? ''}`)
      )
        return null;
      const inv = actor.role === 'attendee' ? invited.get(`${meetingId}|${actor.participantId}`) : undefined;
      if (inv && inv !== 'declined' && inv !== 'withdrawn') return null;
      return forbidden(`not invited to meeting ${meetingId}`);
    });
  }

  /** Titles of meetings and agenda items by id, two statements for any number (e.g. a ledger page). */
  async titles(
    meetingIds: string[],
    agendaItemIds: string[],
  ): Promise<{ meetings: Map<string, string>; agendaItems: Map<string, string> }> {
    const [meetings, agendaItems] = await Promise.all([
      meetingIds.length === 0
        ? []
        : this.db.manager.find(MeetingEntity, {
            select: { id: true, title: true },
            where: { id: In([...new Set(meetingIds)]) },
          }),
      agendaItemIds.length === 0
        ? []
        : this.db.manager.find(AgendaItemEntity, {
            select: { id: true, title: true },
            where: { id: In([...new Set(agendaItemIds)]) },
          }),
    ]);
    return {
      meetings: new Map(meetings.map((m) => [m.id, m.title])),
      agendaItems: new Map(agendaItems.map((a) => [a.id, a.title])),
    };
  }

  /** The meeting's agenda in order (AgendaService). */
  agenda(meetingId: string): Promise<AgendaItemView[]> {
    return this.agendaItems.list(meetingId);
  }

  /** The agenda item must belong to the meeting; VALIDATION naming `field` otherwise (AgendaService). */
  requireAgendaItem(meetingId: string, agendaItemId: string, field: string): Promise<AgendaItemView> {
    return this.agendaItems.requireItem(meetingId, agendaItemId, field);
  }

  /** Present and invited counts now (AttendanceService). */
  attendance(meetingId: string): Promise<MeetingSnapshot['attendance']> {
    return this.attendances.attendance(meetingId);
  }

  /** Person-times of invitation rows for the figures (AttendanceService). */
  invitationCounts(filter: { from?: Date; to?: Date }): Promise<InvitationCountRows> {
    return this.attendances.invitationCounts(filter);
  }

  /** Invites a person by hand (InvitationsService); the demo seed uses it. */
  invite(actor: Actor, meetingId: string, participantId: string): Promise<InvitationView> {
    return this.invitations.invite(actor, meetingId, participantId);
  }

  /** Checks an invitation in (AttendanceService); the demo seed uses it. */
  checkIn(actor: Actor, invitationId: string): Promise<InvitationView> {
    return this.attendances.checkIn(actor, invitationId);
  }
}
