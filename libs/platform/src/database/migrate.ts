import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** An arbitrary constant: the advisory lock that lets only one node migrate at a time. */
const MIGRATION_LOCK = 7_150_101;

/** Applies pending migrations under an advisory lock, so several api nodes may boot at once. */
export async function runMigrations(url: string, log?: (line: string) => void): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, { poolSize: 2 }));
  await ds.initialize();
  try {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const applied = await ds.runMigrations({ transaction: 'each' });
      for (const m of applied) log?.(`database: applied migration ${m.name}`);
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      await runner.release();
    }
  } finally {
    await ds.destroy();
  }
}

/**
 * Schema objects kept by migrations only, which TypeORM's diff would drop because no entity
 * declares them: the foreign keys `fk_<table>_<column>` and the indexes `ix_fk_<table>_<column>`
 * that serve them (migration ForeignKeys1795324999504). An entity may not import another
 * context's entity class, so a key across contexts cannot be declared as a relation; keys
 * inside a context are kept the same way for one rule. The diff wants to drop them (up) and
 * would add them back (down): both sides are left out, anything else is still reported.
 */
const KEPT_BY_MIGRATIONS: RegExp[] = [
  /^ALTER TABLE "[^"]+" DROP CONSTRAINT "fk_[^"]+"$/,
  /^ALTER TABLE "[^"]+" ADD CONSTRAINT "fk_[^"]+" FOREIGN KEY /,
  /^DROP INDEX "[^"]+"\."ix_fk_[^"]+"$/,
  /^CREATE INDEX "ix_fk_[^"]+" ON /,
];

/** Whether a statement of the schema diff only concerns an object kept by migrations. */
export function isKeptByMigrations(sql: string): boolean {
  const q = sql.trim();
  return KEPT_BY_MIGRATIONS.some((re) => re.test(q));
}

/** The SQL that would bring the schema in line with the entities (empty when none is pending). */
export async function pendingSchemaSql(url: string): Promise<{ up: string[]; down: string[] }> {
  const ds = new DataSource(dataSourceOptions(url, { poolSize: 2 }));
  await ds.initialize();
  try {
    const log = await ds.driver.createSchemaBuilder().log();
    const keep = (q: { query: string }): boolean => !isKeptByMigrations(q.query);
    return {
      up: log.upQueries.filter(keep).map((q) => q.query),
      down: log.downQueries
        .filter(keep)
        .map((q) => q.query)
        .reverse(),
    };
  } finally {
    await ds.destroy();
  }
}
