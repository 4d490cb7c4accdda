import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LiveSessionCosignSpeakersPolls1795302741858 implements MigrationInterface {
  name = 'LiveSessionCosignSpeakersPolls1795302741858';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "poll" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "meeting_id" uuid NOT NULL, "kind" text NOT NULL, "question" text NOT NULL, "choices" text array NOT NULL, "target_unit_id" uuid, "state" text NOT NULL DEFAULT \'open\', "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_poll" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_poll_meeting" ON "poll"  ("meeting_id", "state") ');
    await queryRunner.query(
      'CREATE TABLE "poll_voter" ("poll_id" uuid NOT NULL, "participant_id" uuid NOT NULL, "client_key" text, "receipt" text, "choice" text, CONSTRAINT "pk_poll_voter" PRIMARY KEY ("poll_id", "participant_id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_poll_voter_client_key" ON "poll_voter"  ("poll_id", "client_key") ',
    );
    await queryRunner.query(
      'CREATE TABLE "poll_ballot" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "poll_id" uuid NOT NULL, "choice" text NOT NULL, "receipt" text NOT NULL, CONSTRAINT "pk_poll_ballot" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ux_poll_ballot_receipt" ON "poll_ballot"  ("receipt") ');
    await queryRunner.query('CREATE INDEX "ix_poll_ballot_poll" ON "poll_ballot"  ("poll_id") ');
    await queryRunner.query(
      'CREATE TABLE "input_cosign" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "meeting_id" uuid NOT NULL, "input_id" uuid NOT NULL, "participant_id" uuid NOT NULL, "client_key" text NOT NULL, "seq" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_input_cosign" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_input_cosign_meeting_client_key" ON "input_cosign"  ("meeting_id", "client_key") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_input_cosign_input_participant" ON "input_cosign"  ("input_id", "participant_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "speaker_request" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "meeting_id" uuid NOT NULL, "participant_id" uuid NOT NULL, "agenda_item_id" uuid, "client_key" text NOT NULL, "state" text NOT NULL DEFAULT \'queued\', "seq" bigint NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), CONSTRAINT "pk_speaker_request" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_speaker_request_meeting_state" ON "speaker_request"  ("meeting_id", "state", "requested_at") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_speaker_request_open" ON "speaker_request"  ("meeting_id", "participant_id") WHERE state IN (\'queued\', \'speaking\')',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_speaker_request_meeting_client_key" ON "speaker_request"  ("meeting_id", "client_key") ',
    );
    await queryRunner.query('ALTER TABLE "input" ADD "merged_into_input_id" uuid');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "input" DROP COLUMN "merged_into_input_id"');
    await queryRunner.query('DROP INDEX "public"."ux_speaker_request_meeting_client_key"');
    await queryRunner.query('DROP INDEX "public"."ux_speaker_request_open"');
    await queryRunner.query('DROP INDEX "public"."ix_speaker_request_meeting_state"');
    await queryRunner.query('DROP TABLE "speaker_request"');
    await queryRunner.query('DROP INDEX "public"."ux_input_cosign_input_participant"');
    await queryRunner.query('DROP INDEX "public"."ux_input_cosign_meeting_client_key"');
    await queryRunner.query('DROP TABLE "input_cosign"');
    await queryRunner.query('DROP INDEX "public"."ix_poll_ballot_poll"');
    await queryRunner.query('DROP INDEX "public"."ux_poll_ballot_receipt"');
    await queryRunner.query('DROP TABLE "poll_ballot"');
    await queryRunner.query('DROP INDEX "public"."ux_poll_voter_client_key"');
    await queryRunner.query('DROP TABLE "poll_voter"');
    await queryRunner.query('DROP INDEX "public"."ix_poll_meeting"');
    await queryRunner.query('DROP TABLE "poll"');
  }
}
