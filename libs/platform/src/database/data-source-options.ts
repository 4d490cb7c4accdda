import { join, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** `.ts` when run from sources (tests), `.js` when run from the build. */
const ext = __filename.endsWith('.ts') ? 'ts' : 'js';
/** The folder holding every library, in sources and in the build alike. */
const libsDir = resolve(__dirname, '..', '..', '..');

export const ENTITY_GLOB = join(libsDir, '*', 'src', '**', `*.entity.${ext}`);
export const MIGRATION_GLOB = join(__dirname, 'migrations', `*.${ext}`);
export const MIGRATIONS_DIR_SOURCE = resolve(
  libsDir,
  '..',
  '..',
  'libs',
  'platform',
  'src',
  'database',
  'migrations',
);

/** One definition of the connection, for the api, the migration CLI and the tests. */
export function dataSourceOptions(url: string, extra: { poolSize?: number } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [ENTITY_GLOB],
    migrations: [MIGRATION_GLOB],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL ≥ 13: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: extra.poolSize ?? 20 },
    logging: ['error'],
  };
}
