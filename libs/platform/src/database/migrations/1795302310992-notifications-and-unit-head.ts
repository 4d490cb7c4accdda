import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationsAndUnitHead1795302310992 implements MigrationInterface {
  name = 'NotificationsAndUnitHead1795302310992';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "notification" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "channel" text NOT NULL, "recipient_type" text NOT NULL, "recipient_id" uuid NOT NULL, "address" text, "topic" text NOT NULL, "text_zh" text NOT NULL, "text_en" text NOT NULL, "dedupe_key" text, "status" text NOT NULL DEFAULT \'pending\', "attempts" integer NOT NULL DEFAULT \'0\', "last_error" text, "not_before" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_notification" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_notification_dedupe" ON "notification"  ("dedupe_key") ',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_notification_recipient" ON "notification"  ("recipient_type", "recipient_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_notification_pending" ON "notification"  ("status", "not_before") ',
    );
    await queryRunner.query('ALTER TABLE "account" ADD "unit_head" boolean NOT NULL DEFAULT false');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "account" DROP COLUMN "unit_head"');
    await queryRunner.query('DROP INDEX "public"."ix_notification_pending"');
    await queryRunner.query('DROP INDEX "public"."ix_notification_recipient"');
    await queryRunner.query('DROP INDEX "public"."ux_notification_dedupe"');
    await queryRunner.query('DROP TABLE "notification"');
  }
}
