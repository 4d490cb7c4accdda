import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import {
  type Actor,
  AuditService,
  conflict,
  DomainException,
  notFound,
  TokenService,
  Db,
} from '@liexi/platform';
import { InvitationWriter } from './invitation-writer';
import { InvitationEntity } from './invitation.entity';
import { MeetingRecords } from './meeting-records';
import { toInvitationView } from './meetings.mapping';
import type { CheckInCode, CodeCheckInResult } from './meetings.views';

export const CHECKIN_PREFIX = 'liexi:checkin:';

const hash = (code: string): string => createHash('sha256').update(code).digest('hex');

/** A one-time code per invitation: stored hashed, expires when the meeting ends, used once. */
@Injectable()
export class CheckInCodeService {
  constructor(
    private readonly db: Db,
    private readonly records: MeetingRecords,
    private readonly writer: InvitationWriter,
    private readonly directory: DirectoryService,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
  ) {}

  /** Issues (or re-issues, voiding the previous one) the code for an invitation. */
  async issue(actor: Actor, invitationId: string): Promise<CheckInCode> {
    return this.db.transaction(async () => {
      const inv = await this.db.manager.findOne(InvitationEntity, {
        where: { id: invitationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!inv) throw notFound('invitation', invitationId);
      if (inv.status !== 'invited' && inv.status !== 'accepted')
        throw new DomainException(
          'INVALID_TRANSITION',
          `no check-in code for an invitation that is ${inv.status}`,
          {
            allowed: [],
          },
        );
      const meeting = await this.records.require(inv.meetingId);
      if (
        meeting.status === 'cancelled' ||
        meeting.status === 'closed' ||
        meeting.endsAt.getTime() <= Date.now()
      )
        throw new DomainException('INVALID_TRANSITION', `the meeting is over (${meeting.status})`);
      const code = randomBytes(12).toString('base64url');
      await this.db.manager.update(
        InvitationEntity,
        { id: inv.id },
        { checkinCodeHash: hash(code), checkinCodeExpiresAt: meeting.endsAt, checkinCodeUsedAt: null },
      );
      await this.audit.record(actor, {
        action: 'invitation.checkin_code_issued',
        entityType: 'invitation',
        entityId: inv.id,
        after: { expiresAt: meeting.endsAt },
      });
      return {
        invitationId: inv.id,
        code,
        qrPayload: `${CHECKIN_PREFIX}${inv.id}:${code}`,
        expiresAt: meeting.endsAt.toISOString(),
      };
    });
  }

  /**
   * Redeems a QR payload: checks the invitation in and returns the attendee's session token.
   * A wrong or expired code is UNAUTHORIZED; a used one CONFLICT. Single use is a guarded UPDATE.
   */
  async redeem(payload: string): Promise<CodeCheckInResult> {
    const parsed = parsePayload(payload);
    if (!parsed) throw new DomainException('UNAUTHORIZED', 'not a check-in code');
    const result = await this.db.transaction(async () => {
      const claimed: unknown[] = await this.db.manager.query(
        `UPDATE invitation SET checkin_code_used_at = now()
         WHERE id = $1 AND checkin_code_hash = $2 AND checkin_code_used_at IS NULL AND checkin_code_expires_at > now()
         RETURNING id`,
        [parsed.invitationId, hash(parsed.code)],
      );
      const rows = Array.isArray(claimed[0]) ? (claimed[0] as unknown[]) : claimed;
      if (rows.length !== 1) {
        const why: { hash_ok: boolean; used: boolean; expired: boolean }[] = await this.db.manager.query(
          `SELECT checkin_code_hash = $2 AS hash_ok, checkin_code_used_at IS NOT NULL AS used,
                  checkin_code_expires_at <= now() AS expired
           FROM invitation WHERE id = $1`,
          [parsed.invitationId, hash(parsed.code)],
        );
        const w = why[0];
        if (w?.hash_ok && w.used) throw conflict('this check-in code has been used');
        if (w?.hash_ok && w.expired)
          throw new DomainException('UNAUTHORIZED', 'this check-in code has expired');
        throw new DomainException('UNAUTHORIZED', 'wrong check-in code');
      }
      const checkedIn = await this.writer.checkIn(null, parsed.invitationId);
      const meeting = await this.records.require(checkedIn.meetingId);
      return { checkedIn, meeting };
    });
    const account = await this.directory.attendeeAccountOf(result.checkedIn.participantId);
    let session: CodeCheckInResult['session'] = null;
    if (account) {
      const actor = this.directory.actorOf(account);
      const ttl = Math.max(60, Math.ceil((result.meeting.endsAt.getTime() - Date.now()) / 1000));
      session = { ...this.tokens.sign(actor, ttl), actor };
    }
    const viewer: Actor = session?.actor ?? {
      accountId: '',
      username: '',
      role: 'attendee',
      unitId: null,
      participantId: result.checkedIn.participantId,
    };
    return { invitation: toInvitationView(result.checkedIn, viewer), session };
  }
}

export function parsePayload(payload: string): { invitationId: string; code: string } | null {
  const m = /^liexi:checkin:([0-9a-f-]{36}):([A-Za-z0-9_-]{8,64})$/.exec(payload.trim());
  return m ? { invitationId: m[1], code: m[2] } : null;
}
