import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Foreign keys for every reference from one row to another (STYLE.md 15: the database keeps
 * the invariants it can; application checks come on top).
 *
 * They live in migrations only. Entities stay context-pure (no entity imports another
 * context's entity class, so none declares a relation across contexts), and
 * `pendingSchemaSql` (migrate.ts) ignores the `fk_<table>_<column>` constraints and their
 * `ix_fk_<table>_<column>` indexes that TypeORM's diff would otherwise drop.
 *
 * Delete rules:
 * - RESTRICT by default: nothing referenced can be deleted out from under its references (an
 *   agenda item a task item or an input refers to, a unit with task items, an account that
 *   drafted a reply). People, units and accounts are deactivated, meetings cancelled: never
 *   deleted by the code.
 * - CASCADE only inside one context, where the child is owned by its parent and has no meaning
 *   without it: a meeting's agenda items; a poll's voter and ballot rows; an input's
 *   co-signatures; a task item's link rows (cooperating units, source inputs, proposers) and its
 *   alert bookkeeping (task_alert). Records with content of their own (replies, reviews,
 *   evaluations, progress reports, opinions, deadline changes, re-inspections, invitations)
 *   are history and RESTRICT their parent.
 * - SET NULL where a nullable link may be cut: an invitation's policy (its explanation keeps
 *   the policy id and why), a returned item's suggested unit, a speaker request's agenda item
 *   (the request stays in the queue when the chair removes the item).
 * The deletes the code performs still work: removing an agenda item (refused while a task
 * item or an input refers to it; speaker requests let go of it), rewriting a closed poll's
 * voter and ballot rows, removing calendar days (no references).
 *
 * Left out on purpose (test/integrity.e2e-spec.ts lists these and fails on any other uuid
 * column without a key):
 * - audit_log.actor_id and audit_log.entity_id: the audit log outlives what it describes, is
 *   append-only, and must never block a delete; entity_id points into many tables (and at a
 *   fixed nil id for the calendar).
 * - notification.recipient_id: polymorphic (recipient_type says participant, account or
 *   unit), so no single table to reference; an outbox row may outlive its recipient.
 * - event_log / event_stream have no uuid columns (ids appear inside the stream name), and ids
 *   inside jsonb (invitation.explanation, job.payload, audit before/after) are not columns.
 *
 * Applying to a database in use: dangling references are repaired first. Rows of link tables
 * and owned children whose parent is gone are deleted (what the delete rule would have done),
 * nullable dangling links are set to null, and an audit row records the counts. A required
 * reference of a record with content (say a task item whose lead unit is gone) needs a human
 * decision: the migration stops and names it. The code deleted only agenda items before, so
 * in practice the repair nulls task_item / input / speaker_request.agenda_item_id.
 * `down` drops the keys and indexes; it cannot bring back repaired references.
 */
type OnDelete = 'RESTRICT' | 'CASCADE' | 'SET NULL';

interface Reference {
  table: string;
  column: string;
  references: string;
  onDelete: OnDelete;
}

const ref = (
  table: string,
  column: string,
  references: string,
  onDelete: OnDelete = 'RESTRICT',
): Reference => ({
  table,
  column,
  references,
  onDelete,
});

const REFERENCES: Reference[] = [
  // directory
  ref('account', 'unit_id', 'unit'),
  ref('account', 'participant_id', 'participant'),
  // meetings
  ref('agenda_item', 'meeting_id', 'meeting', 'CASCADE'),
  ref('invitation', 'meeting_id', 'meeting'),
  ref('invitation', 'participant_id', 'participant'),
  ref('invitation', 'policy_id', 'invitation_policy', 'SET NULL'),
  // live
  ref('input', 'meeting_id', 'meeting'),
  ref('input', 'agenda_item_id', 'agenda_item'),
  ref('input', 'author_participant_id', 'participant'),
  ref('input', 'merged_into_input_id', 'input'),
  ref('input', 'disposition_task_id', 'task_item'),
  ref('input_cosign', 'meeting_id', 'meeting'),
  ref('input_cosign', 'input_id', 'input', 'CASCADE'),
  ref('input_cosign', 'participant_id', 'participant'),
  ref('poll', 'meeting_id', 'meeting'),
  ref('poll', 'target_unit_id', 'unit'),
  ref('poll_voter', 'poll_id', 'poll', 'CASCADE'),
  ref('poll_voter', 'participant_id', 'participant'),
  ref('poll_ballot', 'poll_id', 'poll', 'CASCADE'),
  ref('speaker_request', 'meeting_id', 'meeting'),
  ref('speaker_request', 'participant_id', 'participant'),
  ref('speaker_request', 'agenda_item_id', 'agenda_item', 'SET NULL'),
  // handling
  ref('task_item', 'meeting_id', 'meeting'),
  ref('task_item', 'agenda_item_id', 'agenda_item'),
  ref('task_item', 'lead_unit_id', 'unit'),
  ref('task_item', 'suggested_unit_id', 'unit', 'SET NULL'),
  ref('task_cooperating_unit', 'task_item_id', 'task_item', 'CASCADE'),
  ref('task_cooperating_unit', 'unit_id', 'unit'),
  ref('task_source_input', 'task_item_id', 'task_item', 'CASCADE'),
  ref('task_source_input', 'input_id', 'input'),
  ref('task_proposer', 'task_item_id', 'task_item', 'CASCADE'),
  ref('task_proposer', 'participant_id', 'participant'),
  ref('task_reply', 'task_item_id', 'task_item'),
  ref('task_reply', 'drafted_by', 'account'),
  ref('task_reply', 'approved_by', 'account'),
  ref('task_reply_review', 'reply_id', 'task_reply'),
  ref('task_reply_review', 'task_item_id', 'task_item'),
  ref('task_reply_review', 'actor_id', 'account'),
  ref('task_evaluation', 'task_item_id', 'task_item'),
  ref('task_evaluation', 'participant_id', 'participant'),
  ref('task_cooperation_opinion', 'task_item_id', 'task_item'),
  ref('task_cooperation_opinion', 'unit_id', 'unit'),
  ref('task_cooperation_opinion', 'submitted_by', 'account'),
  ref('task_cooperation_opinion', 'waived_by', 'account'),
  ref('task_progress_report', 'task_item_id', 'task_item'),
  ref('task_progress_report', 'unit_id', 'unit'),
  ref('task_progress_report', 'reported_by', 'account'),
  ref('task_deadline_change', 'task_item_id', 'task_item'),
  ref('task_deadline_change', 'requested_by', 'account'),
  ref('task_deadline_change', 'decided_by', 'account'),
  ref('task_reinspection', 'task_item_id', 'task_item'),
  ref('task_reinspection', 'recorded_by', 'account'),
  ref('task_alert', 'task_item_id', 'task_item', 'CASCADE'),
];

/** Pure link rows: a row whose either end is gone means nothing and is deleted by the repair. */
const LINK_TABLES = new Set([
  'task_cooperating_unit',
  'task_source_input',
  'task_proposer',
  'poll_voter',
  'poll_ballot',
  'input_cosign',
]);

/**
 * Reference columns that are filtered on (a unit's handlers, a participant's attendee account,
 * a unit's cooperating items, a task's reviews) or checked when the code deletes the parent
 * (removing an agenda item) and had no index leading with them.
 */
const INDEXES: [table: string, column: string][] = [
  ['account', 'unit_id'],
  ['account', 'participant_id'],
  ['task_cooperating_unit', 'unit_id'],
  ['task_reply_review', 'task_item_id'],
  ['task_item', 'agenda_item_id'],
  ['input', 'agenda_item_id'],
  ['speaker_request', 'agenda_item_id'],
];

const fkName = (r: Reference): string => `fk_${r.table}_${r.column}`;
const ixName = (table: string, column: string): string => `ix_fk_${table}_${column}`;
const dangling = (r: Reference, alias = 'c'): string =>
  `${alias}."${r.column}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "${r.references}" p WHERE p."id" = ${alias}."${r.column}")`;

async function count(queryRunner: QueryRunner, sql: string): Promise<number> {
  const rows = (await queryRunner.query(`WITH x AS (${sql}) SELECT count(*)::int AS n FROM x`)) as {
    n: number;
  }[];
  return rows[0]?.n ?? 0;
}

export class ForeignKeys1795324999504 implements MigrationInterface {
  name = 'ForeignKeys1795324999504';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const nullable = new Set(
      (
        (await queryRunner.query(
          `SELECT table_name || '.' || column_name AS col FROM information_schema.columns
           WHERE table_schema = current_schema() AND is_nullable = 'YES'`,
        )) as { col: string }[]
      ).map((r) => r.col),
    );
    const isNullable = (r: Reference): boolean => nullable.has(`${r.table}.${r.column}`);
    const owned = (r: Reference): boolean => r.onDelete === 'CASCADE' || LINK_TABLES.has(r.table);

    // 1. Repair. Owned children and link rows whose parent is gone go first (deleting them
    // leaves no new dangling reference but to agenda items, whose links are nullable: step 2).
    const repaired: Record<string, number> = {};
    for (const r of REFERENCES.filter(owned)) {
      const n = await count(queryRunner, `DELETE FROM "${r.table}" c WHERE ${dangling(r)} RETURNING 1`);
      if (n > 0) repaired[`${fkName(r)}: rows deleted`] = n;
    }
    for (const r of REFERENCES.filter((x) => !owned(x) && isNullable(x))) {
      const n = await count(
        queryRunner,
        `UPDATE "${r.table}" c SET "${r.column}" = NULL WHERE ${dangling(r)} RETURNING 1`,
      );
      if (n > 0) repaired[`${fkName(r)}: set to null`] = n;
    }
    const unrepairable: string[] = [];
    for (const r of REFERENCES.filter((x) => !owned(x) && !isNullable(x))) {
      const n = await count(queryRunner, `SELECT 1 FROM "${r.table}" c WHERE ${dangling(r)}`);
      if (n > 0)
        unrepairable.push(`${n} row(s) of ${r.table}.${r.column} refer to a missing ${r.references}`);
    }
    if (unrepairable.length > 0)
      throw new Error(
        `foreign keys: required references point at missing rows; decide what to do with them and run the migration again: ${unrepairable.join('; ')}`,
      );
    if (Object.keys(repaired).length > 0)
      await queryRunner.query(
        `INSERT INTO audit_log (action, entity_type, entity_id, after)
         VALUES ('schema.references_repaired', 'schema', '00000000-0000-0000-0000-000000000000', $1)`,
        [JSON.stringify({ migration: this.name, ...repaired })],
      );

    // 2. The keys.
    for (const r of REFERENCES) {
      if (r.onDelete === 'SET NULL' && !isNullable(r))
        throw new Error(`${fkName(r)}: SET NULL needs a nullable column`);
      await queryRunner.query(
        `ALTER TABLE "${r.table}" ADD CONSTRAINT "${fkName(r)}" FOREIGN KEY ("${r.column}") REFERENCES "${r.references}"("id") ON DELETE ${r.onDelete} ON UPDATE NO ACTION`,
      );
    }
    for (const [table, column] of INDEXES)
      await queryRunner.query(`CREATE INDEX "${ixName(table, column)}" ON "${table}" ("${column}")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column] of [...INDEXES].reverse())
      await queryRunner.query(`DROP INDEX "public"."${ixName(table, column)}"`);
    for (const r of [...REFERENCES].reverse())
      await queryRunner.query(`ALTER TABLE "${r.table}" DROP CONSTRAINT "${fkName(r)}"`);
  }
}
