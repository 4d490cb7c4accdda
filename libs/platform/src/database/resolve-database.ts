import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migrate';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * With DATABASE_URL: that server, never an embedded one. Without: a real PostgreSQL started
 * from the embedded binaries under DATA_DIR/pg. Either way the schema is migrated before use.
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
      database: 'liexi',
      port: config.embeddedPgPort,
      persistent: true,
      log,
      callerHandlesSignals: opts.callerHandlesSignals,
    });
    url = db.url;
    stop = () => db.stop();
    embedded = true;
    log(`database: embedded PostgreSQL on 127.0.0.1:${db.port}`);
  }
  await runMigrations(url, log);
  return { url, embedded, stop };
}
