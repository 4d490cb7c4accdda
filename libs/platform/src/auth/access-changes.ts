import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Subject } from 'rxjs';
import { Db } from '../database/db.service';
import type { Actor } from './actor';

/** The PostgreSQL NOTIFY channel on which rights that changed are announced to every node. */
export const ACCESS_CHANNEL = 'liexi_access';

/**
 * A right that changed while tokens and sockets are out: a token signed out, an account or a
 * participant deactivated (or active again), an invitation withdrawn (its person's sockets leave
 * the meeting). Announced in the transaction that made the change (NOTIFY, delivered at commit)
 * and acted on by every node: the token check here, the gateways for open sockets.
 */
export type AccessChange =
  | { kind: 'token'; jti: string; exp: number }
  | { kind: 'account' | 'participant'; id: string; notBefore: number; inactive: boolean }
  | { kind: 'invitation'; meetingId: string; participantId: string };

/** The claims the token check needs. */
export interface TokenFacts {
  jti: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  actor: Actor;
}

interface Cutoff {
  notBefore: number;
  inactive: boolean;
}

const isUuid = (v: unknown): v is string =>
  typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** A change read from a NOTIFY payload; null for anything else. */
export function parseAccessChange(payload: string): AccessChange | null {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (v.kind === 'token' && isUuid(v.jti) && typeof v.exp === 'number')
    return { kind: 'token', jti: v.jti, exp: v.exp };
  if ((v.kind === 'account' || v.kind === 'participant') && isUuid(v.id) && typeof v.notBefore === 'number')
    return { kind: v.kind, id: v.id, notBefore: v.notBefore, inactive: v.inactive === true };
  if (v.kind === 'invitation' && isUuid(v.meetingId) && isUuid(v.participantId))
    return { kind: 'invitation', meetingId: v.meetingId, participantId: v.participantId };
  return null;
}

/**
 * Which tokens no longer work, in memory on every node (so checking a token costs no query):
 * loaded at start, kept current by the NOTIFYs of every node, reloaded when the listener
 * reconnects (EventFanoutListener). Writes go to `token_revocation` in the running
 * transaction; the change applies here after commit and everywhere on its NOTIFY.
 */
@Injectable()
export class AccessChanges implements OnModuleInit {
  private readonly logger = new Logger('AccessChanges');
  /** Rights that changed (after commit), for the gateways to drop sockets. */
  readonly changes = new Subject<AccessChange>();
  private readonly tokens = new Map<string, number>();
  private readonly cutoffs = new Map<string, Cutoff>();

  constructor(private readonly db: Db) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  /** Everything from the table (at start, and after the listener missed NOTIFYs). */
  async reload(): Promise<void> {
    const rows: {
      kind: string;
      subject_id: string;
      not_before: Date | null;
      inactive: boolean;
      exp: Date | null;
    }[] = await this.db.detached(() =>
      this.db.query(
        `SELECT kind, subject_id, not_before, inactive, expires_at AS exp FROM token_revocation
           WHERE expires_at IS NULL OR expires_at > now()`,
      ),
    );
    this.tokens.clear();
    this.cutoffs.clear();
    for (const r of rows) {
      if (r.kind === 'token') this.tokens.set(r.subject_id, r.exp?.getTime() ?? Infinity);
      else
        this.cutoffs.set(`${r.kind}:${r.subject_id}`, {
          notBefore: r.not_before?.getTime() ?? 0,
          inactive: r.inactive,
        });
    }
  }

  /** Why this token no longer works, or null. No query. */
  refusal(t: TokenFacts): string | null {
    const exp = this.tokens.get(t.jti);
    if (exp !== undefined && exp > Date.now()) return 'the token was signed out';
    for (const key of [`account:${t.actor.accountId}`, `participant:${t.actor.participantId ?? ''}`]) {
      const cut = this.cutoffs.get(key);
      if (!cut) continue;
      if (cut.inactive) return `the ${key.split(':')[0]} is deactivated`;
      if (t.iat * 1000 < cut.notBefore)
        return `the ${key.split(':')[0]} was deactivated after this token was issued`;
    }
    return null;
  }

  /** Signs one token out (in the running transaction; effective everywhere at commit). */
  async revokeToken(jti: string, exp: number): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.query(
        `INSERT INTO token_revocation (kind, subject_id, expires_at) VALUES ('token', $1, to_timestamp($2))
         ON CONFLICT (kind, subject_id) DO NOTHING`,
        [jti, exp],
      );
      // Signed-out tokens are forgotten once they would have expired anyway.
      await this.db.query(
        `DELETE FROM token_revocation WHERE kind = 'token' AND expires_at < now() - interval '1 day'`,
      );
      await this.announce({ kind: 'token', jti, exp: exp * 1000 });
    });
  }

  /**
   * An account or participant deactivated (`inactive`: all its tokens refused until it is
   * active again) or reactivated (tokens issued before the deactivation stay refused).
   */
  async setSubject(kind: 'account' | 'participant', id: string, inactive: boolean): Promise<void> {
    await this.db.transaction(async () => {
      const rows: { not_before: Date }[] = await this.db.query(
        `INSERT INTO token_revocation (kind, subject_id, not_before, inactive) VALUES ($1, $2, now(), $3)
         ON CONFLICT (kind, subject_id) DO UPDATE SET inactive = EXCLUDED.inactive,
           not_before = CASE WHEN EXCLUDED.inactive THEN now() ELSE token_revocation.not_before END
         RETURNING not_before`,
        [kind, id, inactive],
      );
      const notBefore = rows[0]?.not_before.getTime() ?? Date.now();
      await this.announce({ kind, id, notBefore, inactive });
    });
  }

  /** Announces a change that needs no row (an invitation withdrawn), in the running transaction. */
  async announce(change: AccessChange): Promise<void> {
    await this.db.query('SELECT pg_notify($1, $2)', [ACCESS_CHANNEL, JSON.stringify(change)]);
    this.db.afterCommit(() => this.apply(change));
  }

  /** A change this node learned of (its own after commit, or any node's NOTIFY). Idempotent. */
  apply(change: AccessChange): void {
    switch (change.kind) {
      case 'token':
        this.tokens.set(change.jti, change.exp);
        break;
      case 'account':
      case 'participant':
        this.cutoffs.set(`${change.kind}:${change.id}`, {
          notBefore: change.notBefore,
          inactive: change.inactive,
        });
        break;
      case 'invitation':
        break;
    }
    this.changes.next(change);
  }

  /** From the NOTIFY listener. */
  noticeCommitted(payload: string): void {
    const change = parseAccessChange(payload);
    if (change) this.apply(change);
    else this.logger.warn('ignored an access change it could not read');
  }
}
