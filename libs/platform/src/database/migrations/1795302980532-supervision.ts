import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Supervision1795302980532 implements MigrationInterface {
  name = 'Supervision1795302980532';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "task_cooperation_opinion" ("task_item_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "due_date" date NOT NULL, "body" text, "submitted_by" uuid, "submitted_at" TIMESTAMP WITH TIME ZONE, "waived_by" uuid, "waived_at" TIMESTAMP WITH TIME ZONE, "waive_reason" text, CONSTRAINT "pk_task_cooperation_opinion" PRIMARY KEY ("task_item_id", "unit_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "task_progress_report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "task_item_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "text" text NOT NULL, "percent" integer NOT NULL, "attachments" jsonb NOT NULL, "reported_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_task_progress_report" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_task_progress_report_task" ON "task_progress_report"  ("task_item_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "task_reply_review" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "reply_id" uuid NOT NULL, "task_item_id" uuid NOT NULL, "level" text NOT NULL, "decision" text NOT NULL, "comment" text, "actor_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_task_reply_review" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_task_reply_review_reply" ON "task_reply_review"  ("reply_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "task_deadline_change" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "task_item_id" uuid NOT NULL, "kind" text NOT NULL, "previous_deadline" date NOT NULL, "requested_deadline" date NOT NULL, "reason" text NOT NULL, "status" text NOT NULL, "requested_by" uuid NOT NULL, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_comment" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_task_deadline_change" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_task_deadline_change_pending" ON "task_deadline_change"  ("task_item_id") WHERE status = \'pending\'',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_task_deadline_change_task" ON "task_deadline_change"  ("task_item_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "task_reinspection" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "task_item_id" uuid NOT NULL, "round" integer NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "notified_at" TIMESTAMP WITH TIME ZONE, "outcome" text, "note" text, "recorded_by" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_task_reinspection" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_task_reinspection_round" ON "task_reinspection"  ("task_item_id", "round") ',
    );
    await queryRunner.query(
      'CREATE TABLE "task_alert" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "task_item_id" uuid NOT NULL, "kind" text NOT NULL, "deadline" date NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_task_alert" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_task_alert_once" ON "task_alert"  ("task_item_id", "kind", "deadline") ',
    );
    await queryRunner.query(
      'CREATE TABLE "work_calendar_day" ("day" date NOT NULL, "kind" text NOT NULL, "name" text NOT NULL DEFAULT \'\', CONSTRAINT "pk_work_calendar_day" PRIMARY KEY ("day"))',
    );
    await queryRunner.query(
      'CREATE TABLE "job" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "key" text, "payload" jsonb NOT NULL, "run_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT \'pending\', "attempts" integer NOT NULL DEFAULT \'0\', "max_attempts" integer NOT NULL DEFAULT \'5\', "last_error" text, "done_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_job" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ux_job_key" ON "job"  ("key") ');
    await queryRunner.query('CREATE INDEX "ix_job_due" ON "job"  ("status", "run_at") ');
    await queryRunner.query('ALTER TABLE "task_item" ADD "suggested_unit_id" uuid');
    await queryRunner.query('ALTER TABLE "task_item" ADD "deadline_pending" boolean NOT NULL DEFAULT false');
    await queryRunner.query('ALTER TABLE "task_item" ADD "published_at" TIMESTAMP WITH TIME ZONE');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "task_item" DROP COLUMN "published_at"');
    await queryRunner.query('ALTER TABLE "task_item" DROP COLUMN "deadline_pending"');
    await queryRunner.query('ALTER TABLE "task_item" DROP COLUMN "suggested_unit_id"');
    await queryRunner.query('DROP INDEX "public"."ix_job_due"');
    await queryRunner.query('DROP INDEX "public"."ux_job_key"');
    await queryRunner.query('DROP TABLE "job"');
    await queryRunner.query('DROP TABLE "work_calendar_day"');
    await queryRunner.query('DROP INDEX "public"."ux_task_alert_once"');
    await queryRunner.query('DROP TABLE "task_alert"');
    await queryRunner.query('DROP INDEX "public"."ux_task_reinspection_round"');
    await queryRunner.query('DROP TABLE "task_reinspection"');
    await queryRunner.query('DROP INDEX "public"."ix_task_deadline_change_task"');
    await queryRunner.query('DROP INDEX "public"."ux_task_deadline_change_pending"');
    await queryRunner.query('DROP TABLE "task_deadline_change"');
    await queryRunner.query('DROP INDEX "public"."ix_task_reply_review_reply"');
    await queryRunner.query('DROP TABLE "task_reply_review"');
    await queryRunner.query('DROP INDEX "public"."ix_task_progress_report_task"');
    await queryRunner.query('DROP TABLE "task_progress_report"');
    await queryRunner.query('DROP TABLE "task_cooperation_opinion"');
  }
}
