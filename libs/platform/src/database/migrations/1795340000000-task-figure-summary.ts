import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10 (figures at a million items): the proposers' constituency on `task_proposer` (copied
 * from the directory, kept current by it) and as bits on the figure facts; `task_figure_summary`
 * (the facts counted per group, task-figure-summary.ts) and the row saying which layout it was
 * written with. The summary is left empty with no layout: the api rebuilds it from the facts at
 * its first start (its rows depend on the figure definitions in code, not on this migration).
 * The summary's meeting and agenda item ids carry no foreign key: they are derived counts,
 * rebuilt from the facts, which carry the keys (a row folding to nothing would otherwise refuse
 * the delete of an agenda item until compaction).
 */
export class TaskFigureSummary1795340000000 implements MigrationInterface {
  name = 'TaskFigureSummary1795340000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "task_proposer" ADD "constituency" text');
    await queryRunner.query(
      `UPDATE task_proposer tp SET constituency = p.constituency FROM participant p WHERE p.id = tp.participant_id`,
    );
    await queryRunner.query('ALTER TABLE "task_proposer" ALTER COLUMN "constituency" SET NOT NULL');
    await queryRunner.query(
      'ALTER TABLE "task_figure_fact" ADD "constituencies" smallint NOT NULL DEFAULT \'0\'',
    );
    // The bits as in TaskFigureFacts (CONSTITUENCIES' order at this migration).
    await queryRunner.query(`
UPDATE task_figure_fact f SET constituencies = x.bits
FROM (SELECT task_item_id, bit_or(CASE constituency WHEN 'deputy' THEN 1 WHEN 'cppcc_member' THEN 2
        WHEN 'citizen_rep' THEN 4 WHEN 'entrepreneur_rep' THEN 8 WHEN 'expert' THEN 16 WHEN 'media' THEN 32
        ELSE 0 END) AS bits
      FROM task_proposer GROUP BY task_item_id) x
WHERE x.task_item_id = f.task_item_id`);
    await queryRunner.query(
      'CREATE TABLE "task_figure_summary" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "open" boolean NOT NULL, "assigned_day" date NOT NULL, "meeting_id" uuid, "agenda_item_id" uuid, "task_class" text NOT NULL, "constituencies" smallint NOT NULL, "state" text, "deadline" date, "deadline_pending" boolean, "replied_at" TIMESTAMP WITH TIME ZONE, "replied_on_time" boolean, "n" integer NOT NULL, "counts" integer array NOT NULL, CONSTRAINT "pk_task_figure_summary" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_task_figure_summary_day" ON "task_figure_summary"  ("assigned_day") ',
    );
    await queryRunner.query(
      'CREATE TABLE "task_figure_summary_layout" ("id" smallint NOT NULL, "layout" text NOT NULL, "built_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_task_figure_summary_layout" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      `INSERT INTO task_figure_summary_layout (id, layout, built_at) VALUES (1, '', now())`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "task_figure_summary_layout"');
    await queryRunner.query('DROP TABLE "task_figure_summary"');
    await queryRunner.query('ALTER TABLE "task_figure_fact" DROP COLUMN "constituencies"');
    await queryRunner.query('ALTER TABLE "task_proposer" DROP COLUMN "constituency"');
  }
}
