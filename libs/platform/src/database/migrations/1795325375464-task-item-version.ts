import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TaskItemVersion1795325375464 implements MigrationInterface {
  name = 'TaskItemVersion1795325375464';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "task_item" ADD "version" integer NOT NULL DEFAULT \'0\'');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "task_item" DROP COLUMN "version"');
  }
}
