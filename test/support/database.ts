import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A fresh database cloned from the migrated template: real PostgreSQL, isolated per test file. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.LIEXI_TEST_ADMIN_URL;
  const template = process.env.LIEXI_TEST_TEMPLATE_DB;
  if (!adminUrl || !template)
    throw new Error('the test PostgreSQL is not running (global setup did not run)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
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
