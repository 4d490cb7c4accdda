import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When a meeting ended (closed or cancelled) and when its live event log was pruned. */
export class MeetingEventLogRetention1795325311392 implements MigrationInterface {
  name = 'MeetingEventLogRetention1795325311392';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "meeting" ADD "closed_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "meeting" ADD "event_log_pruned_at" TIMESTAMP WITH TIME ZONE');
    // Meetings that ended before this column existed: a closed or cancelled meeting can no longer
    // be edited, so its last update is when it ended.
    await queryRunner.query(
      'UPDATE "meeting" SET "closed_at" = "updated_at" WHERE "status" IN (\'closed\', \'cancelled\')',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_meeting_event_log_due" ON "meeting"  ("closed_at") WHERE closed_at IS NOT NULL AND event_log_pruned_at IS NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting" ADD CONSTRAINT "ck_meeting_event_log_pruned_at" CHECK (event_log_pruned_at IS NULL OR closed_at IS NOT NULL)',
    );
    await queryRunner.query(
      'ALTER TABLE "meeting" ADD CONSTRAINT "ck_meeting_closed_at" CHECK ((closed_at IS NOT NULL) = (status IN (\'closed\', \'cancelled\')))',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "meeting" DROP CONSTRAINT "ck_meeting_closed_at"');
    await queryRunner.query('ALTER TABLE "meeting" DROP CONSTRAINT "ck_meeting_event_log_pruned_at"');
    await queryRunner.query('DROP INDEX "public"."ix_meeting_event_log_due"');
    await queryRunner.query('ALTER TABLE "meeting" DROP COLUMN "event_log_pruned_at"');
    await queryRunner.query('ALTER TABLE "meeting" DROP COLUMN "closed_at"');
  }
}
