import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { releaseEmbeddedSignalHooks, startEmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migrate';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded server (nothing for an external one); a hung server is stopped after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * With DATABASE_URL: that server, never an embedded one. Without: a real PostgreSQL started
 * from the embedded binaries under DATA_DIR/pg, its passwords generated and kept in
 * DATA_DIR/pg-credentials (0600), the api connecting as a role that owns the schema but is not a
 * superuser. Either way the schema is migrated (as that role) before use.
 */
export async function resolveDatabase(
  config: AppConfig,
  log: (line: string) => void,
  opts: { callerHandlesSignals?: boolean } = {},
): Promise<ResolvedDatabase> {
  let url: string;
  let stop = (): Promise<void> => Promise.resolve();
  let embedded = false;
  if (config.databaseUrl) {
    url = config.databaseUrl;
    log(`database: using DATABASE_URL (${new URL(url).host})`);
  } else {
    const db = await startEmbeddedPostgres({
      dir: join(config.dataDir, 'pg'),
      credentialsFile: join(config.dataDir, 'pg-credentials'),
      database: 'liexi',
      port: config.embeddedPgPort,
      persistent: true,
      log,
      callerHandlesSignals: opts.callerHandlesSignals,
    });
    // The api stops its server itself, within a bound (main.ts), not the package's exit hooks.
    releaseEmbeddedSignalHooks();
    url = db.url;
    stop = (graceMs?: number) => db.stop(graceMs);
    embedded = true;
    log(
      `database: embedded PostgreSQL on 127.0.0.1:${db.port} (pid ${db.pid ?? '?'}), as role "${new URL(url).username}"`,
    );
  }
  await runMigrations(url, log);
  return { url, embedded, stop };
}
