import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 9. `token_revocation`: signed-out tokens (by jti, until they expire) and the cutoff of a
 * deactivated account or participant; `subject_id` names a token, an account or a participant
 * by `kind`, so it has no foreign key (like audit_log.entity_id). `meeting.chair_account_id`: the
 * leader account that chairs the meeting and, with the secretariat, steers it — key
 * `fk_meeting_chair_account_id` (RESTRICT: accounts are deactivated, never deleted; no index, as
 * nothing filters on it and no account delete checks it).
 */
export class TokenRevocationAndMeetingChair1795334166145 implements MigrationInterface {
  name = 'TokenRevocationAndMeetingChair1795334166145';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "token_revocation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "subject_id" uuid NOT NULL, "not_before" TIMESTAMP WITH TIME ZONE, "inactive" boolean NOT NULL DEFAULT false, "expires_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_token_revocation_kind" CHECK (kind IN ('token', 'account', 'participant')), CONSTRAINT "pk_token_revocation" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_token_revocation_subject" ON "token_revocation"  ("kind", "subject_id") `,
    );
    await queryRunner.query(`ALTER TABLE "meeting" ADD "chair_account_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "meeting" ADD CONSTRAINT "fk_meeting_chair_account_id" FOREIGN KEY ("chair_account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "meeting" DROP CONSTRAINT "fk_meeting_chair_account_id"`);
    await queryRunner.query(`ALTER TABLE "meeting" DROP COLUMN "chair_account_id"`);
    await queryRunner.query(`DROP INDEX "public"."ux_token_revocation_subject"`);
    await queryRunner.query(`DROP TABLE "token_revocation"`);
  }
}
