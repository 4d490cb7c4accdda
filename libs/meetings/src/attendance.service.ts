import { Inject, Injectable } from '@nestjs/common';
import type { MeetingSnapshot } from '@liexi/contracts';
import {
  type Actor,
  APP_CONFIG,
  type AppConfig,
  AuditService,
  Db,
  DomainException,
  forbidden,
} from '@liexi/platform';
import { meetingAllowsInvitationAction } from './invitation-workflow';
import { InvitationWriter } from './invitation-writer';
import { MeetingRecords } from './meeting-records';
import { allowedMeetingActions } from './meeting-status';
import { toInvitationView } from './meetings.mapping';
import type { FigureCounts, InvitationCountRows, InvitationView } from './meetings.views';

/** Check-in, who attended, the live present count and the person-time figures. */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly records: MeetingRecords,
    private readonly writer: InvitationWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The attendee (or the secretariat at the door) checks in: invited/accepted → checked_in. */
  async checkIn(actor: Actor, invitationId: string): Promise<InvitationView> {
    return this.db.transaction(async () => {
      const inv = await this.writer.find(invitationId);
      if (actor.role !== 'secretariat' && actor.participantId !== inv.participantId)
        throw forbidden('not your invitation');
      return toInvitationView(await this.writer.checkIn(actor, inv.id), actor);
    });
  }

  /** After the meeting adjourns, the secretariat marks who attended and who was absent. */
  async mark(
    actor: Actor,
    invitationId: string,
    action: 'mark_attended' | 'mark_absent',
  ): Promise<InvitationView> {
    return this.db.transaction(async () => {
      const { invitation } = await this.writer.move(actor, invitationId, action, {});
      return toInvitationView(invitation, actor);
    });
  }

  /** Checked-in invitations become attended, unanswered and accepted ones absent (after adjourning). */
  async finalize(actor: Actor, meetingId: string): Promise<{ attended: number; absent: number }> {
    return this.db.transaction(async () => {
      const meeting = await this.records.lock(meetingId);
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

  /** Present (checked in or attended) and invited (neither declined nor withdrawn), now. */
  async attendance(meetingId: string): Promise<MeetingSnapshot['attendance']> {
    const rows: { present: string; invited: string }[] = await this.db.manager.query(
      `SELECT count(*) FILTER (WHERE status IN ('checked_in','attended')) AS present,
              count(*) FILTER (WHERE status NOT IN ('declined','withdrawn')) AS invited
       FROM invitation WHERE meeting_id = $1`,
      [meetingId],
    );
    return { present: Number(rows[0]?.present ?? 0), invited: Number(rows[0]?.invited ?? 0) };
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
    const q = this.db.manager;
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
}

function rowCount(result: unknown[]): number {
  // node-postgres returns [rows, count] for UPDATE … RETURNING through TypeORM.
  const first = result[0];
  return Array.isArray(first) ? first.length : result.length;
}
