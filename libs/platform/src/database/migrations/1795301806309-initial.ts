import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795301806309 implements MigrationInterface {
  name = 'Initial1795301806309';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "account" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" text NOT NULL, "password_hash" text NOT NULL, "role" text NOT NULL, "display_name" text NOT NULL, "unit_id" uuid, "participant_id" uuid, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_account" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ux_account_username" ON "account"  ("username") ');
    await queryRunner.query(
      'CREATE TABLE "participant" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "constituency" text NOT NULL, "sector" text, "district" text, "contact" text, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_participant" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_participant_constituency" ON "participant"  ("constituency", "active") ',
    );
    await queryRunner.query(
      'CREATE TABLE "unit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "kind" text NOT NULL DEFAULT \'department\', "head_name" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_unit" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ux_unit_name" ON "unit"  ("name") ');
    await queryRunner.query(
      'CREATE TABLE "task_item" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "meeting_id" uuid, "agenda_item_id" uuid, "problem" text NOT NULL, "lead_unit_id" uuid NOT NULL, "responsible_person" text, "measure" text NOT NULL, "deadline" date NOT NULL, "close_out_standard" text NOT NULL, "task_class" text NOT NULL, "class_reason" text, "urgency" text NOT NULL DEFAULT \'long_term\', "state" text NOT NULL DEFAULT \'draft\', "reopen_count" integer NOT NULL DEFAULT \'0\', "return_reason" text, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_task_item" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_task_item_state_deadline" ON "task_item"  ("state", "deadline") ',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_task_item_lead_unit" ON "task_item"  ("lead_unit_id", "state") ',
    );
    await queryRunner.query('CREATE INDEX "ix_task_item_meeting" ON "task_item"  ("meeting_id") ');
    await queryRunner.query(
      'CREATE TABLE "task_cooperating_unit" ("task_item_id" uuid NOT NULL, "unit_id" uuid NOT NULL, CONSTRAINT "pk_task_cooperating_unit" PRIMARY KEY ("task_item_id", "unit_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "task_source_input" ("task_item_id" uuid NOT NULL, "input_id" uuid NOT NULL, CONSTRAINT "pk_task_source_input" PRIMARY KEY ("task_item_id", "input_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_task_source_input_input" ON "task_source_input"  ("input_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "task_proposer" ("task_item_id" uuid NOT NULL, "participant_id" uuid NOT NULL, "anonymous" boolean NOT NULL DEFAULT false, CONSTRAINT "pk_task_proposer" PRIMARY KEY ("task_item_id", "participant_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_task_proposer_participant" ON "task_proposer"  ("participant_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "task_reply" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "task_item_id" uuid NOT NULL, "round" integer NOT NULL, "body" text NOT NULL, "drafted_by" uuid NOT NULL, "approved_by" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_task_reply" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_task_reply_task" ON "task_reply"  ("task_item_id", "round") ');
    await queryRunner.query(
      'CREATE TABLE "task_evaluation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "task_item_id" uuid NOT NULL, "participant_id" uuid NOT NULL, "round" integer NOT NULL, "rating" text NOT NULL, "comment" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_task_evaluation" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_task_evaluation_round" ON "task_evaluation"  ("task_item_id", "participant_id", "round") ',
    );
    await queryRunner.query(
      'CREATE TABLE "input" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "meeting_id" uuid NOT NULL, "agenda_item_id" uuid, "client_key" text NOT NULL, "author_participant_id" uuid NOT NULL, "kind" text NOT NULL, "text" text NOT NULL, "anonymous" boolean NOT NULL DEFAULT false, "hidden" boolean NOT NULL DEFAULT false, "submitted_seq" bigint NOT NULL DEFAULT \'0\', "disposition" text NOT NULL DEFAULT \'pending\', "disposition_task_id" uuid, "disposition_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_input" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_input_author" ON "input"  ("author_participant_id") ');
    await queryRunner.query(
      'CREATE INDEX "ix_input_meeting_seq" ON "input"  ("meeting_id", "submitted_seq") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_input_meeting_client_key" ON "input"  ("meeting_id", "client_key") ',
    );
    await queryRunner.query(
      'CREATE TABLE "agenda_item" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "meeting_id" uuid NOT NULL, "position" integer NOT NULL, "title" text NOT NULL, "category" text NOT NULL, "topics" text array NOT NULL DEFAULT \'{}\', "state" text NOT NULL DEFAULT \'pending\', CONSTRAINT "pk_agenda_item" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_agenda_item_meeting" ON "agenda_item"  ("meeting_id", "position") ',
    );
    await queryRunner.query(
      'CREATE TABLE "invitation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "meeting_id" uuid NOT NULL, "participant_id" uuid NOT NULL, "status" text NOT NULL DEFAULT \'invited\', "decline_reason" text, "checked_in_at" TIMESTAMP WITH TIME ZONE, "invited_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_invitation" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_invitation_participant" ON "invitation"  ("participant_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_invitation_meeting_participant" ON "invitation"  ("meeting_id", "participant_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "meeting" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "title" text NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "place" text, "chair" text, "status" text NOT NULL DEFAULT \'draft\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_meeting" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_meeting_starts_at" ON "meeting"  ("starts_at") ');
    await queryRunner.query(
      'CREATE TABLE "audit_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_id" uuid, "actor_role" text, "action" text NOT NULL, "entity_type" text NOT NULL, "entity_id" uuid NOT NULL, "before" jsonb, "after" jsonb, CONSTRAINT "pk_audit_log" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_audit_log_entity" ON "audit_log"  ("entity_type", "entity_id", "at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "event_log" ("stream" text NOT NULL, "seq" bigint NOT NULL, "type" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "data" jsonb NOT NULL, CONSTRAINT "pk_event_log" PRIMARY KEY ("stream", "seq"))',
    );
    await queryRunner.query(
      'CREATE TABLE "event_stream" ("stream" text NOT NULL, "last_seq" bigint NOT NULL, CONSTRAINT "pk_event_stream" PRIMARY KEY ("stream"))',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "event_stream"');
    await queryRunner.query('DROP TABLE "event_log"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_log_entity"');
    await queryRunner.query('DROP TABLE "audit_log"');
    await queryRunner.query('DROP INDEX "public"."ix_meeting_starts_at"');
    await queryRunner.query('DROP TABLE "meeting"');
    await queryRunner.query('DROP INDEX "public"."ux_invitation_meeting_participant"');
    await queryRunner.query('DROP INDEX "public"."ix_invitation_participant"');
    await queryRunner.query('DROP TABLE "invitation"');
    await queryRunner.query('DROP INDEX "public"."ix_agenda_item_meeting"');
    await queryRunner.query('DROP TABLE "agenda_item"');
    await queryRunner.query('DROP INDEX "public"."ux_input_meeting_client_key"');
    await queryRunner.query('DROP INDEX "public"."ix_input_meeting_seq"');
    await queryRunner.query('DROP INDEX "public"."ix_input_author"');
    await queryRunner.query('DROP TABLE "input"');
    await queryRunner.query('DROP INDEX "public"."ux_task_evaluation_round"');
    await queryRunner.query('DROP TABLE "task_evaluation"');
    await queryRunner.query('DROP INDEX "public"."ix_task_reply_task"');
    await queryRunner.query('DROP TABLE "task_reply"');
    await queryRunner.query('DROP INDEX "public"."ix_task_proposer_participant"');
    await queryRunner.query('DROP TABLE "task_proposer"');
    await queryRunner.query('DROP INDEX "public"."ix_task_source_input_input"');
    await queryRunner.query('DROP TABLE "task_source_input"');
    await queryRunner.query('DROP TABLE "task_cooperating_unit"');
    await queryRunner.query('DROP INDEX "public"."ix_task_item_meeting"');
    await queryRunner.query('DROP INDEX "public"."ix_task_item_lead_unit"');
    await queryRunner.query('DROP INDEX "public"."ix_task_item_state_deadline"');
    await queryRunner.query('DROP TABLE "task_item"');
    await queryRunner.query('DROP INDEX "public"."ux_unit_name"');
    await queryRunner.query('DROP TABLE "unit"');
    await queryRunner.query('DROP INDEX "public"."ix_participant_constituency"');
    await queryRunner.query('DROP TABLE "participant"');
    await queryRunner.query('DROP INDEX "public"."ux_account_username"');
    await queryRunner.query('DROP TABLE "account"');
  }
}
