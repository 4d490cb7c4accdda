import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The last published tally of each open poll: one elected tally writer across nodes. */
export class PollTally1795333041633 implements MigrationInterface {
  name = 'PollTally1795333041633';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "poll_tally" ("poll_id" uuid NOT NULL, "voted" integer NOT NULL, "entitled" integer NOT NULL, "tallied_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_poll_tally" PRIMARY KEY ("poll_id"))',
    );
    // Owned by the poll inside the live context: goes with it.
    await queryRunner.query(
      'ALTER TABLE "poll_tally" ADD CONSTRAINT "fk_poll_tally_poll_id" FOREIGN KEY ("poll_id") REFERENCES "poll" ("id") ON DELETE CASCADE',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "poll_tally" DROP CONSTRAINT "fk_poll_tally_poll_id"');
    await queryRunner.query('DROP TABLE "poll_tally"');
  }
}
