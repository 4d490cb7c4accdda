import { Injectable } from '@nestjs/common';
import type { InvitationStatus } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import {
  type Actor,
  AuditService,
  conflict,
  Db,
  DomainException,
  EventLogService,
  forbidden,
  meetingStream,
  notFound,
} from '@liexi/platform';
import { In } from 'typeorm';
import {
  allowedInvitationActions,
  type InvitationAction,
  invitationTarget,
  meetingAllowsInvitationAction,
} from './invitation-workflow';
import { InvitationEntity } from './invitation.entity';
import type { MeetingEntity } from './meeting.entity';
import { MeetingRecords } from './meeting-records';

type InvitationChanges = Partial<
  Pick<InvitationEntity, 'respondedAt' | 'declineReason' | 'checkedInAt' | 'withdrawnAt'>
>;

/**
 * The steps of the invitation table, shared by the invitations and the attendance services
 * (and the one-time check-in code). Internal to the context: it hands out entities.
 */
@Injectable()
export class InvitationWriter {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly directory: DirectoryService,
    private readonly records: MeetingRecords,
  ) {}

  async find(invitationId: string): Promise<InvitationEntity> {
    const inv = await this.db.manager.findOne(InvitationEntity, { where: { id: invitationId } });
    if (!inv) throw notFound('invitation', invitationId);
    return inv;
  }

  /** The invitation, if the actor may see it: the secretariat, or the invitee. */
  async requireVisible(actor: Actor, invitationId: string): Promise<InvitationEntity> {
    const inv = await this.find(invitationId);
    if (actor.role !== 'secretariat' && (!actor.participantId || actor.participantId !== inv.participantId))
      throw forbidden('not your invitation');
    return inv;
  }

  /**
   * One step of the invitation table, as a guarded UPDATE … WHERE status = :from (a racing
   * loser gets CONFLICT). Illegal steps get INVALID_TRANSITION with the allowed actions.
   */
  async move(
    actor: Actor | null,
    invitationId: string,
    action: InvitationAction,
    changes: InvitationChanges,
  ): Promise<{ invitation: InvitationEntity; meeting: MeetingEntity; from: InvitationStatus }> {
    const inv = await this.find(invitationId);
    const meeting = await this.records.require(inv.meetingId);
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

  /**
   * invited/accepted → checked_in inside the caller's transaction, announced on the meeting's
   * live stream with the number now present.
   */
  async checkIn(actor: Actor | null, invitationId: string): Promise<InvitationEntity> {
    const { invitation } = await this.move(actor, invitationId, 'check_in', { checkedInAt: new Date() });
    const participant = await this.directory.getParticipant(invitation.participantId);
    await this.events.append(meetingStream(invitation.meetingId), 'attendance.changed', {
      participantId: invitation.participantId,
      name: participant.name,
      status: invitation.status,
      present: await this.presentCount(invitation.meetingId),
    });
    return invitation;
  }

  private presentCount(meetingId: string): Promise<number> {
    return this.db.manager.count(InvitationEntity, {
      where: { meetingId, status: In(['checked_in', 'attended']) },
    });
  }
}
