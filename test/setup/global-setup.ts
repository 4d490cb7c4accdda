/* One real, throw-away PostgreSQL for the whole run; a template database migrated once; each
 * test file clones it (see test/support/database.ts) so files run in parallel in isolation. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../libs/platform/src/database/embedded-postgres';
import { runMigrations } from '../../libs/platform/src/database/migrate';

export const TEMPLATE_DB = 'liexi_template';

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'liexi-test-pg-'));
  const db = await startEmbeddedPostgres({ dir, database: TEMPLATE_DB, persistent: false });
  // Migrated as the api's role (not a superuser; it owns the schema), as `npm start` does.
  await runMigrations(db.url);
  process.env.LIEXI_TEST_ADMIN_URL = db.adminUrl;
  process.env.LIEXI_TEST_APP_URL = db.url;
  process.env.LIEXI_TEST_TEMPLATE_DB = TEMPLATE_DB;
  (globalThis as { __liexiTestDb?: { stop(): Promise<void>; dir: string } }).__liexiTestDb = {
    stop: () => db.stop(),
    dir,
  };
}
