import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10 (insights): the figure facts of task items, contacts with proposers, appraisal
 * results and the rule that turns them into rectification items, and the inbox.
 * Backfill: `task_item.assigned_at` from the first `task.assign` audit row; the facts of every
 * existing item with the derivation of `TaskFigureFacts` as it stands at this migration.
 * Every new reference gets its key `fk_<table>_<column>` (RESTRICT: none of these parents is
 * deleted by the code).
 */
const REFERENCES: [table: string, column: string, references: string][] = [
  ['appraisal_rule', 'updated_by', 'account'],
  ['task_appraisal_source', 'appraisal_result_id', 'appraisal_result'],
  ['task_appraisal_source', 'task_item_id', 'task_item'],
  ['task_contact', 'task_item_id', 'task_item'],
  ['task_contact', 'recorded_by', 'account'],
  ['task_figure_fact', 'task_item_id', 'task_item'],
  ['task_figure_fact', 'lead_unit_id', 'unit'],
  ['task_figure_fact', 'meeting_id', 'meeting'],
  ['task_figure_fact', 'agenda_item_id', 'agenda_item'],
  ['appraisal_result', 'poll_id', 'poll'],
  ['appraisal_result', 'meeting_id', 'meeting'],
  ['appraisal_result', 'unit_id', 'unit'],
  ['inbox_notice', 'account_id', 'account'],
  ['inbox_notice', 'notification_id', 'notification'],
];
const INDEXES: [table: string, column: string][] = [];

const BACKFILL_FACTS = `
INSERT INTO task_figure_fact (task_item_id, lead_unit_id, meeting_id, agenda_item_id, task_class, state,
  assigned_at, deadline, deadline_pending, replied_at, replied_on_time, first_score, final_score, reopen_count,
  cooperating, contact)
SELECT t.id, t.lead_unit_id, t.meeting_id, t.agenda_item_id, t.task_class, t.state,
  t.assigned_at, t.deadline, t.deadline_pending, r.first_sent,
  CASE WHEN r.first_sent IS NULL THEN NULL ELSE (r.first_sent AT TIME ZONE 'Asia/Shanghai')::date <= coalesce(
    (SELECT c.previous_deadline FROM task_deadline_change c
     WHERE c.task_item_id = t.id AND c.status = 'approved' AND c.decided_at > r.first_sent
     ORDER BY c.decided_at LIMIT 1), t.deadline) END,
  e.first_score, e.final_score, t.reopen_count,
  EXISTS (SELECT 1 FROM task_cooperating_unit cu WHERE cu.task_item_id = t.id), 0
FROM task_item t
LEFT JOIN LATERAL (SELECT min(sent_at) AS first_sent FROM task_reply
                   WHERE task_item_id = t.id AND sent_at IS NOT NULL) r ON true
LEFT JOIN LATERAL (
  SELECT min(score) FILTER (WHERE round = 1) AS first_score,
         min(score) FILTER (WHERE round = last_round) AS final_score
  FROM (SELECT round, max(round) OVER () AS last_round,
               CASE rating WHEN 'satisfied' THEN 2 WHEN 'basically_satisfied' THEN 1 ELSE 0 END AS score
        FROM task_evaluation WHERE task_item_id = t.id) x) e ON true`;

export class InsightsFiguresNoticesAppraisal1795338470790 implements MigrationInterface {
  name = 'InsightsFiguresNoticesAppraisal1795338470790';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "appraisal_rule" ("id" integer NOT NULL, "kind" text NOT NULL, "threshold" numeric(5,4) NOT NULL DEFAULT \'0\', "urgency" text NOT NULL, "deadline_working_days" integer NOT NULL, "updated_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_appraisal_rule" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "task_appraisal_source" ("appraisal_result_id" uuid NOT NULL, "task_item_id" uuid NOT NULL, CONSTRAINT "pk_task_appraisal_source" PRIMARY KEY ("appraisal_result_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "task_contact" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "task_item_id" uuid NOT NULL, "kind" text NOT NULL, "contacted_on" date NOT NULL, "note" text, "recorded_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_task_contact" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_task_contact_task" ON "task_contact"  ("task_item_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "task_figure_fact" ("task_item_id" uuid NOT NULL, "lead_unit_id" uuid NOT NULL, "meeting_id" uuid, "agenda_item_id" uuid, "task_class" text NOT NULL, "state" text NOT NULL, "assigned_at" TIMESTAMP WITH TIME ZONE, "deadline" date NOT NULL, "deadline_pending" boolean NOT NULL, "replied_at" TIMESTAMP WITH TIME ZONE, "replied_on_time" boolean, "first_score" smallint, "final_score" smallint, "reopen_count" integer NOT NULL, "cooperating" boolean NOT NULL, "contact" smallint NOT NULL, CONSTRAINT "pk_task_figure_fact" PRIMARY KEY ("task_item_id"))',
    );
    await queryRunner.query(
      "CREATE INDEX \"ix_task_figure_fact_open\" ON \"task_figure_fact\"  (\"deadline\") WHERE state NOT IN ('draft', 'replied', 'evaluated', 'closed')",
    );
    await queryRunner.query(
      'CREATE INDEX "ix_task_figure_fact_meeting" ON "task_figure_fact"  ("meeting_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_task_figure_fact_unit" ON "task_figure_fact"  ("lead_unit_id", "assigned_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_task_figure_fact_assigned" ON "task_figure_fact"  ("assigned_at", "task_item_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "appraisal_result" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "poll_id" uuid NOT NULL, "meeting_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "question" text NOT NULL, "satisfied" integer NOT NULL, "basically_satisfied" integer NOT NULL, "unsatisfied" integer NOT NULL, "voted" integer NOT NULL, "entitled" integer NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_appraisal_result" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_appraisal_result_meeting" ON "appraisal_result"  ("meeting_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_appraisal_result_unit" ON "appraisal_result"  ("unit_id", "closed_at") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_appraisal_result_poll" ON "appraisal_result"  ("poll_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "inbox_notice" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "notification_id" uuid NOT NULL, "topic" text NOT NULL, "text_zh" text NOT NULL, "text_en" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_inbox_notice" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_inbox_notice_unread" ON "inbox_notice"  ("account_id", "created_at", "id") WHERE read_at IS NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_inbox_notice_account" ON "inbox_notice"  ("account_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_inbox_notice_delivery" ON "inbox_notice"  ("notification_id", "account_id") ',
    );
    await queryRunner.query('ALTER TABLE "task_item" ADD "assigned_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(
      `UPDATE task_item t SET assigned_at = coalesce(
         (SELECT min(a.at) FROM audit_log a WHERE a.entity_id = t.id AND a.action = 'task.assign'), t.created_at)
       WHERE t.state <> 'draft'`,
    );
    await queryRunner.query(BACKFILL_FACTS);
    for (const [table, column, references] of REFERENCES)
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "fk_${table}_${column}" FOREIGN KEY ("${column}") REFERENCES "${references}"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
    for (const [table, column] of INDEXES)
      await queryRunner.query(`CREATE INDEX "ix_fk_${table}_${column}" ON "${table}" ("${column}")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column] of [...INDEXES].reverse())
      await queryRunner.query(`DROP INDEX "public"."ix_fk_${table}_${column}"`);
    for (const [table, column] of [...REFERENCES].reverse())
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "fk_${table}_${column}"`);
    await queryRunner.query('ALTER TABLE "task_item" DROP COLUMN "assigned_at"');
    await queryRunner.query('DROP INDEX "public"."ux_inbox_notice_delivery"');
    await queryRunner.query('DROP INDEX "public"."ix_inbox_notice_account"');
    await queryRunner.query('DROP INDEX "public"."ix_inbox_notice_unread"');
    await queryRunner.query('DROP TABLE "inbox_notice"');
    await queryRunner.query('DROP INDEX "public"."ux_appraisal_result_poll"');
    await queryRunner.query('DROP INDEX "public"."ix_appraisal_result_unit"');
    await queryRunner.query('DROP INDEX "public"."ix_appraisal_result_meeting"');
    await queryRunner.query('DROP TABLE "appraisal_result"');
    await queryRunner.query('DROP INDEX "public"."ix_task_figure_fact_assigned"');
    await queryRunner.query('DROP INDEX "public"."ix_task_figure_fact_unit"');
    await queryRunner.query('DROP INDEX "public"."ix_task_figure_fact_meeting"');
    await queryRunner.query('DROP INDEX "public"."ix_task_figure_fact_open"');
    await queryRunner.query('DROP TABLE "task_figure_fact"');
    await queryRunner.query('DROP INDEX "public"."ix_task_contact_task"');
    await queryRunner.query('DROP TABLE "task_contact"');
    await queryRunner.query('DROP TABLE "task_appraisal_source"');
    await queryRunner.query('DROP TABLE "appraisal_rule"');
  }
}
