import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A fresh database cloned from the migrated template: real PostgreSQL, isolated per test file; its URL is the api role's. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.LIEXI_TEST_ADMIN_URL;
  const template = process.env.LIEXI_TEST_TEMPLATE_DB;
  const appUrl = process.env.LIEXI_TEST_APP_URL;
  if (!adminUrl || !template || !appUrl)
    throw new Error('the test PostgreSQL is not running (global setup did not run)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Owned by the api's role, which also owns every object cloned from the template.
    const owner = decodeURIComponent(new URL(appUrl).username);
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}" OWNER "${owner}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(appUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
