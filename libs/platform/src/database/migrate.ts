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

/** The SQL that would bring the schema in line with the entities (empty when none is pending). */
export async function pendingSchemaSql(url: string): Promise<{ up: string[]; down: string[] }> {
  const ds = new DataSource(dataSourceOptions(url, { poolSize: 2 }));
  await ds.initialize();
  try {
    const log = await ds.driver.createSchemaBuilder().log();
    return {
      up: log.upQueries.map((q) => q.query),
      down: log.downQueries.map((q) => q.query).reverse(),
    };
  } finally {
    await ds.destroy();
  }
}
