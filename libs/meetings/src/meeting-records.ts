import { Injectable } from '@nestjs/common';
import { type Actor, Db, DomainException, forbidden, notFound } from '@liexi/platform';
import { AgendaItemEntity } from './agenda-item.entity';
import { InvitationEntity } from './invitation.entity';
import { MeetingEntity } from './meeting.entity';
import { allowedMeetingActions, isMeetingEditable } from './meeting-status';

/**
 * Roles that see and follow every meeting: the secretariat runs them; leaders and the
 * supervision office (督查室) oversee the government's work as a whole (decided in issue 9).
 */
export const OVERSEERS: ReadonlySet<string> = new Set(['secretariat', 'leader', 'supervisor']);

/**
 * Which of these (meeting, unit) pairs concern the unit — its task items from the meeting, a
 * poll of the meeting on it — as keys `meetingId|unitId`. Another context answers for its own
 * records (MeetingsService.addUnitConcern), so no context reads another's tables.
 */
export type UnitConcern = (pairs: { meetingId: string; unitId: string }[]) => Promise<Set<string>>;

/**
 * The meeting rows as the services of this context read, lock and guard them. Internal to the
 * context (not exported from its index): it hands out entities, which never leave the context.
 * Every read goes through the unit of work (`db.manager`), so inside a transaction it is on
 * the transaction's connection.
 */
@Injectable()
export class MeetingRecords {
  private readonly concerns: UnitConcern[] = [];

  constructor(private readonly db: Db) {}

  addUnitConcern(concern: UnitConcern): void {
    this.concerns.push(concern);
  }

  /** The pairs (`meetingId|unitId`) some context says concern the unit. */
  async concerned(pairs: { meetingId: string; unitId: string }[]): Promise<Set<string>> {
    const found = new Set<string>();
    if (pairs.length === 0) return found;
    for (const concern of this.concerns) for (const key of await concern(pairs)) found.add(key);
    return found;
  }

  /** Whether the actor steers this meeting: the secretariat, or the leader who chairs it. */
  static steers(actor: Actor, meeting: { chairAccountId: string | null }): boolean {
    return (
      actor.role === 'secretariat' || (actor.role === 'leader' && meeting.chairAccountId === actor.accountId)
    );
  }

  /** FORBIDDEN unless the actor steers the meeting (see `steers`). */
  requireSteward(actor: Actor, meeting: MeetingEntity): void {
    if (!MeetingRecords.steers(actor, meeting))
      throw forbidden(`only the chair of meeting ${meeting.id} and the secretariat steer it`);
  }

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

  /**
   * Anyone who may follow the meeting live: overseers, invitees, and the handlers of a unit the
   * meeting concerns (its items or polls) once it is past planning.
   */
  async requireFollower(actor: Actor, meetingId: string): Promise<MeetingEntity> {
    const meeting = await this.require(meetingId);
    if (OVERSEERS.has(actor.role)) return meeting;
    if (actor.role === 'unit_handler' && actor.unitId && meeting.status !== 'draft') {
      const concerned = await this.concerned([{ meetingId, unitId: actor.unitId }]);
      if (concerned.has(`${meetingId}|${actor.unitId}`)) return meeting;
    }
    if (actor.role === 'attendee' && actor.participantId) {
      const inv = await this.db.manager.findOne(InvitationEntity, {
        where: { meetingId, participantId: actor.participantId },
      });
      if (inv && inv.status !== 'declined' && inv.status !== 'withdrawn') return meeting;
    }
    throw forbidden(`not invited to meeting ${meetingId}`);
  }
}
