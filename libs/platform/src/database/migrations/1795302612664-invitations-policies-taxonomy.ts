import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InvitationsPoliciesTaxonomy1795302612664 implements MigrationInterface {
  name = 'InvitationsPoliciesTaxonomy1795302612664';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "invitation_policy" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "category" text NOT NULL, "topic" text, "quotas" jsonb NOT NULL, "preferred_sectors" text array NOT NULL DEFAULT \'{}\', "preferred_districts" text array NOT NULL DEFAULT \'{}\', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_invitation_policy" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_invitation_policy_category" ON "invitation_policy"  ("category", "topic") ',
    );
    await queryRunner.query(
      'CREATE TABLE "agenda_taxonomy" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "code" text NOT NULL, "label_zh" text NOT NULL, "label_en" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_agenda_taxonomy" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_agenda_taxonomy_kind_code" ON "agenda_taxonomy"  ("kind", "code") ',
    );
    await queryRunner.query('ALTER TABLE "agenda_item" ADD "attachments" jsonb NOT NULL DEFAULT \'[]\'');
    await queryRunner.query('ALTER TABLE "invitation" ADD "constituency" text');
    await queryRunner.query('ALTER TABLE "invitation" ADD "source" text NOT NULL DEFAULT \'manual\'');
    await queryRunner.query('ALTER TABLE "invitation" ADD "policy_id" uuid');
    await queryRunner.query('ALTER TABLE "invitation" ADD "explanation" jsonb');
    await queryRunner.query('ALTER TABLE "invitation" ADD "responded_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "invitation" ADD "withdrawn_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "invitation" ADD "checkin_code_hash" text');
    await queryRunner.query(
      'ALTER TABLE "invitation" ADD "checkin_code_expires_at" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query('ALTER TABLE "invitation" ADD "checkin_code_used_at" TIMESTAMP WITH TIME ZONE');
    // The taxonomy the seeds name (重点工作, 重大事项, 重要文件 and topics); more can be added at runtime.
    await queryRunner.query(
      `INSERT INTO "agenda_taxonomy" ("kind", "code", "label_zh", "label_en") VALUES
        ('category', 'key_work', '重点工作', 'Key work'),
        ('category', 'major_matter', '重大事项', 'Major matter'),
        ('category', 'important_document', '重要文件', 'Important document'),
        ('topic', 'business_environment', '营商环境', 'Business environment'),
        ('topic', 'livelihood', '民生', 'Livelihood'),
        ('topic', 'education', '教育', 'Education'),
        ('topic', 'industry', '产业发展', 'Industry'),
        ('topic', 'health', '医疗卫生', 'Health'),
        ('topic', 'urban_construction', '城市建设', 'Urban construction'),
        ('topic', 'agriculture', '农业农村', 'Agriculture and rural affairs'),
        ('topic', 'environment', '生态环境', 'Environment')`,
    );
    // Invitations made before this migration take their person's current constituency.
    await queryRunner.query(
      'UPDATE "invitation" i SET "constituency" = p."constituency" FROM "participant" p WHERE p."id" = i."participant_id"',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "invitation" DROP COLUMN "checkin_code_used_at"');
    await queryRunner.query('ALTER TABLE "invitation" DROP COLUMN "checkin_code_expires_at"');
    await queryRunner.query('ALTER TABLE "invitation" DROP COLUMN "checkin_code_hash"');
    await queryRunner.query('ALTER TABLE "invitation" DROP COLUMN "withdrawn_at"');
    await queryRunner.query('ALTER TABLE "invitation" DROP COLUMN "responded_at"');
    await queryRunner.query('ALTER TABLE "invitation" DROP COLUMN "explanation"');
    await queryRunner.query('ALTER TABLE "invitation" DROP COLUMN "policy_id"');
    await queryRunner.query('ALTER TABLE "invitation" DROP COLUMN "source"');
    await queryRunner.query('ALTER TABLE "invitation" DROP COLUMN "constituency"');
    await queryRunner.query('ALTER TABLE "agenda_item" DROP COLUMN "attachments"');
    await queryRunner.query('DROP INDEX "public"."ux_agenda_taxonomy_kind_code"');
    await queryRunner.query('DROP TABLE "agenda_taxonomy"');
    await queryRunner.query('DROP INDEX "public"."ix_invitation_policy_category"');
    await queryRunner.query('DROP TABLE "invitation_policy"');
  }
}
