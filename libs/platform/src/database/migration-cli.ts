/* The migration command line: generate | run | revert | check. Uses DATABASE_URL when set,
 * otherwise a throw-away embedded PostgreSQL (so `check` and `generate` compare the entities
 * against a schema built only from the migrations). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS_DIR_SOURCE } from './data-source-options';
import { startEmbeddedPostgres } from './embedded-postgres';
import { pendingSchemaSql, runMigrations } from './migrate';

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return work(process.env.DATABASE_URL);
  const dir = mkdtempSync(join(tmpdir(), 'liexi-migrate-'));
  const db = await startEmbeddedPostgres({ dir, database: 'liexi_migrate', persistent: false });
  try {
    return await work(db.url);
  } finally {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function migrationSource(name: string, stamp: number, up: string[], down: string[]): string {
  const lines = (qs: string[]): string =>
    qs.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${stamp} implements MigrationInterface {
  name = '${name}${stamp}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  switch (command) {
    case 'run':
      await withDatabase((url) => runMigrations(url, log));
      return 0;
    case 'revert':
      await withDatabase(async (url) => {
        const ds = new DataSource(dataSourceOptions(url));
        await ds.initialize();
        await ds.undoLastMigration();
        await ds.destroy();
      });
      return 0;
    case 'check': {
      const pending = await withDatabase(async (url) => {
        await runMigrations(url);
        return pendingSchemaSql(url);
      });
      if (pending.up.length === 0) {
        log('migrations: the schema built from the migrations matches the entities');
        return 0;
      }
      log('migrations: entities changed without a migration; `npm run migration:generate <Name>` would add:');
      for (const q of pending.up) log(`  ${q}`);
      return 1;
    }
    case 'generate': {
      if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
        log('usage: npm run migration:generate -- <PascalCaseName>');
        return 2;
      }
      const pending = await withDatabase(async (url) => {
        await runMigrations(url);
        return pendingSchemaSql(url);
      });
      if (pending.up.length === 0) {
        log('migrations: nothing to generate');
        return 0;
      }
      const stamp = Date.now();
      const file = join(
        MIGRATIONS_DIR_SOURCE,
        `${stamp}-${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.ts`,
      );
      writeFileSync(file, migrationSource(name, stamp, pending.up, pending.down));
      log(`migrations: wrote ${file}`);
      return 0;
    }
    default:
      log('usage: migration-cli generate <Name> | run | revert | check');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
