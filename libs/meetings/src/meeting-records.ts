import { Injectable } from '@nestjs/common';
import { type Actor, Db, DomainException, forbidden, notFound } from '@liexi/platform';
import { AgendaItemEntity } from './agenda-item.entity';
import { InvitationEntity } from './invitation.entity';
import { MeetingEntity } from './meeting.entity';
import { allowedMeetingActions, isMeetingEditable } from './meeting-status';

/** Roles that see every meeting. */
export const OVERSEERS: ReadonlySet<string> = new Set(['secretariat', 'leader', 'supervisor']);

/**
 * The meeting rows as the services of this context read, lock and guard them. Internal to the
 * context (not exported from its index): it hands out entities, which never leave the context.
 * Every read goes through the unit of work (`db.manager`), so inside a transaction it is on
 * the transaction's connection.
 */
@Injectable()
export class MeetingRecords {
  constructor(private readonly db: Db) {}

  async require(id: string): Promise<MeetingEntity> {
    const meeting = await this.db.manager.findOne(MeetingEntity, { where: { id } });
    if (!meeting) throw notFound('meeting', id);
    return meeting;
  }

  /** The meeting row, locked for update until the running transaction ends. */
  async lock(meetingId: string): Promise<MeetingEntity> {
    const meeting = await this.db.manager.findOne(MeetingEntity, {
      where: { id: meetingId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!meeting) throw notFound('meeting', meetingId);
    return meeting;
  }

  /** Locks the meeting; INVALID_TRANSITION (with the allowed actions) when it is cancelled or closed. */
  async lockEditable(meetingId: string): Promise<MeetingEntity> {
    const meeting = await this.lock(meetingId);
    if (!isMeetingEditable(meeting.status))
      throw new DomainException('INVALID_TRANSITION', `a ${meeting.status} meeting cannot be edited`, {
        allowed: allowedMeetingActions(meeting.status),
      });
    return meeting;
  }

  agenda(meetingId: string): Promise<AgendaItemEntity[]> {
    return this.db.manager.find(AgendaItemEntity, { where: { meetingId }, order: { position: 'ASC' } });
  }

  /** Anyone who may follow the meeting live: overseers, unit handlers past planning, invitees. */
  async requireFollower(actor: Actor, meetingId: string): Promise<MeetingEntity> {
    const meeting = await this.require(meetingId);
    if (OVERSEERS.has(actor.role)) return meeting;
    if (actor.role === 'unit_handler' && meeting.status !== 'draft') return meeting;
    if (actor.role === 'attendee' && actor.participantId) {
      const inv = await this.db.manager.findOne(InvitationEntity, {
        where: { meetingId, participantId: actor.participantId },
      });
      if (inv && inv.status !== 'declined' && inv.status !== 'withdrawn') return meeting;
    }
    throw forbidden(`not invited to meeting ${meetingId}`);
  }
}
