import { join, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DbLimits } from '../config/app-config';
import { BoundedClient } from './bounded-client';
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

/** How long the client waits beyond the server's statement timeout before giving the connection up. */
export const CLIENT_GRACE_MS = 2_000;

/**
 * The pool settings that bound every wait: for a connection (acquire), for a statement, for a
 * lock, and for a transaction left idle. A frozen or unreachable server is noticed by the
 * client's read timeout (statement timeout + grace), after which the connection is dropped.
 */
export function poolOptions(limits: DbLimits, applicationName = 'liexi'): Record<string, unknown> {
  return {
    max: limits.poolSize,
    connectionTimeoutMillis: limits.acquireTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    lock_timeout: limits.lockTimeoutMs,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    query_timeout: limits.statementTimeoutMs + CLIENT_GRACE_MS,
    application_name: applicationName,
    keepAlive: true,
    Client: BoundedClient,
  };
}

/**
 * One definition of the connection, for the api, the migration CLI and the tests. Without
 * `limits` (migrations, tools) statements may run as long as they need.
 */
export function dataSourceOptions(
  url: string,
  extra: { poolSize?: number; limits?: DbLimits } = {},
): DataSourceOptions {
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
    extra: extra.limits ? poolOptions(extra.limits) : { max: extra.poolSize ?? 20 },
    logging: ['error'],
  };
}
