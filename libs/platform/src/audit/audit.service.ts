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
}
