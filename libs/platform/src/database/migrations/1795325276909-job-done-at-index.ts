import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Retention of done jobs (JobRetention) finds the old ones by `done_at` among the done ones. */
export class JobDoneAtIndex1795325276909 implements MigrationInterface {
  name = 'JobDoneAtIndex1795325276909';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "ix_job_done_at" ON "job"  ("done_at") WHERE status = \'done\'');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_job_done_at"');
  }
}
