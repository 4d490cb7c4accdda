import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import type { Tx } from '../database/transaction.service';

const AUDIT_TABLE = 'audit_log';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  before?: object | null;
  after?: object | null;
}

/** Writes who, when, what, before and after — always inside the caller's transaction. */
@Injectable()
export class AuditService {
  async record(tx: Tx, actor: Actor | null, rec: AuditRecord): Promise<void> {
    await tx.manager.query(
      `INSERT INTO ${AUDIT_TABLE} (actor_id, actor_role, action, entity_type, entity_id, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        actor?.accountId ?? null,
        actor?.role ?? null,
        rec.action,
        rec.entityType,
        rec.entityId,
        rec.before ? JSON.stringify(rec.before) : null,
        rec.after ? JSON.stringify(rec.after) : null,
      ],
    );
  }
}
