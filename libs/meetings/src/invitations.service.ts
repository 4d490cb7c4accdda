import { Inject, Injectable } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import {
  AccessChanges,
  type Actor,
  APP_CONFIG,
  type AppConfig,
  AuditService,
  conflict,
  Db,
  DomainException,
  forbidden,
  invalid,
  keysetPage,
  mapPage,
  type Page,
  type PageQueryDto,
  NotificationService,
} from '@liexi/platform';
import { In } from 'typeorm';
import { renderIcs } from './ics';
import { inviteeNotice, type InviteeNoticeKind, type NoticeMeeting } from './invitation-notices';
import { SEAT_HOLDING } from './invitation-workflow';
import { InvitationWriter } from './invitation-writer';
import { InvitationEntity } from './invitation.entity';
import { MeetingRecords } from './meeting-records';
import { isMeetingEditable } from './meeting-status';
import { toInvitationView } from './meetings.mapping';
import type {
  InvitationExplanation,
  InvitationView,
  MeetingSummaryView,
  OverlappingBooking,
} from './meetings.views';

/** 邀请: inviting by hand, the invitee's answer, withdrawal, lists, the .ics file and the notices. */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessChanges,
    private readonly audit: AuditService,
    private readonly directory: DirectoryService,
    private readonly notifications: NotificationService,
    private readonly records: MeetingRecords,
    private readonly writer: InvitationWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The secretariat invites a person by hand. A withdrawn invitation is renewed; a person booked
   * into an overlapping meeting is still invited (a deliberate choice) but the overlap is noted in
   * the explanation. The person is notified after commit.
   */
  async invite(actor: Actor, meetingId: string, participantId: string): Promise<InvitationView> {
    return this.db.transaction(async () => {
      const participant = await this.directory.getParticipant(participantId);
      if (!participant.active)
        throw invalid(`participant ${participantId} is inactive`, {
          participantId: ['inactive participant'],
        });
      await this.lockPlanning();
      const meeting = await this.records.lock(meetingId);
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
      return toInvitationView(invitation, actor);
    });
  }

  /** The meeting's invitations with names, in the order they were made (an attendee sees only their own). */
  async list(actor: Actor, meetingId: string, query: PageQueryDto): Promise<Page<InvitationView>> {
    await this.records.requireFollower(actor, meetingId);
    const qb = this.db.manager
      .getRepository(InvitationEntity)
      .createQueryBuilder('i')
      .where('i.meeting_id = :meetingId', { meetingId });
    if (actor.role === 'attendee') qb.andWhere('i.participant_id = :p', { p: actor.participantId });
    const page = await keysetPage(qb, { column: 'i.invited_at', type: 'timestamptz', id: 'i.id' }, query);
    const people = await this.directory.participantsByIds(page.items.map((r) => r.participantId));
    return mapPage(page, (r) => toInvitationView(r, actor, people.get(r.participantId)?.name));
  }

  /** The attendee's own invitations, newest first (withdrawn ones left out). */
  async mine(actor: Actor, query: PageQueryDto): Promise<Page<InvitationView>> {
    if (!actor.participantId) return { items: [], nextCursor: null };
    const qb = this.db.manager
      .getRepository(InvitationEntity)
      .createQueryBuilder('i')
      .where(`i.participant_id = :p AND i.status <> 'withdrawn'`, { p: actor.participantId });
    const order = { column: 'i.invited_at', type: 'timestamptz', id: 'i.id', direction: 'DESC' } as const;
    return mapPage(await keysetPage(qb, order, query), (r) => toInvitationView(r, actor));
  }

  /** The invitee accepts, or declines with a reason. */
  async respond(
    actor: Actor,
    invitationId: string,
    answer: 'accept' | 'decline',
    reason?: string,
  ): Promise<InvitationView> {
    return this.db.transaction(async () => {
      const inv = await this.writer.requireVisible(actor, invitationId);
      if (actor.participantId !== inv.participantId)
        throw forbidden('only the invitee answers an invitation');
      const { invitation } = await this.writer.move(actor, invitationId, answer, {
        respondedAt: new Date(),
        declineReason: answer === 'decline' ? (reason ?? null) : null,
      });
      return toInvitationView(invitation, actor);
    });
  }

  /** The secretariat removes a person: the invitation is withdrawn (kept for the record) and they are told. */
  async withdraw(actor: Actor, invitationId: string, reason?: string): Promise<InvitationView> {
    return this.db.transaction(async () => {
      const { invitation, meeting, from } = await this.writer.move(actor, invitationId, 'withdraw', {
        withdrawnAt: new Date(),
      });
      // At commit, on every node: the person's sockets leave the meeting (they may not rejoin).
      await this.access.announce({
        kind: 'invitation',
        meetingId: invitation.meetingId,
        participantId: invitation.participantId,
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
      return toInvitationView(invitation, actor);
    });
  }

  /** The invitation as an iCalendar file (attendee: own invitations only). */
  async calendar(actor: Actor, invitationId: string): Promise<string> {
    const inv = await this.writer.requireVisible(actor, invitationId);
    const meeting = await this.records.require(inv.meetingId);
    const agenda = await this.records.agenda(meeting.id);
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

  /** Notifies every invitee holding a seat, inside the transaction of the change. */
  async notifyInvitees(
    meeting: NoticeMeeting & Pick<MeetingSummaryView, 'id'>,
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
    meeting: Pick<MeetingSummaryView, 'id' | 'startsAt' | 'endsAt'>,
    participantIds: string[],
  ): Promise<Map<string, OverlappingBooking[]>> {
    const out = new Map<string, OverlappingBooking[]>();
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
}
