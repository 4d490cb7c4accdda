import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { Db } from '../database/db.service';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  before?: object | null;
  after?: object | null;
}

/** One audit row as read back (the history of an entity). */
export interface AuditEntryView {
  id: string;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Writes who, when, what, before and after — always inside the running transaction. */
@Injectable()
export class AuditService {
  constructor(private readonly db: Db) {}

  async record(actor: Actor | null, rec: AuditRecord): Promise<void> {
    await this.recordMany([{ actor, ...rec }]);
  }

  /** Several audit rows in one statement (a group commit writes one row per input). */
  async recordMany(recs: (AuditRecord & { actor: Actor | null })[]): Promise<void> {
    if (recs.length === 0) return;
    await this.db.query(
      `INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, before, after)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::jsonb[], $7::jsonb[])`,
      [
        recs.map((r) => r.actor?.accountId ?? null),
        recs.map((r) => r.actor?.role ?? null),
        recs.map((r) => r.action),
        recs.map((r) => r.entityType),
        recs.map((r) => r.entityId),
        recs.map((r) => (r.before ? JSON.stringify(r.before) : null)),
        recs.map((r) => (r.after ? JSON.stringify(r.after) : null)),
      ],
    );
  }

  /**
   * The rows of one entity in order (keyset on `(at, id)`: pass the last row's as `after`),
   * at most `limit`. The log is append-only: a page never changes once read.
   */
  async entries(
    entityType: string,
    entityId: string,
    limit: number,
    after: { at: string; id: string } | null = null,
  ): Promise<AuditEntryView[]> {
    const rows = await this.db.query<{
      id: string;
      at: Date;
      actor_id: string | null;
      actor_role: string | null;
      action: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
    }>(
      `SELECT id, at, actor_id, actor_role, action, before, after FROM audit_log
       WHERE entity_type = $1 AND entity_id = $2
         AND ($3::timestamptz IS NULL OR (at, id) > ($3, $4::uuid))
       ORDER BY at, id LIMIT $5`,
      [entityType, entityId, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      action: r.action,
      before: r.before,
      after: r.after,
    }));
  }
}
