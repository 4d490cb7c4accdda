/* The audit log is append-only in the database itself, whatever the application does. */
import { Client } from 'pg';
import { createTestDatabase } from './support/database';

describe('audit log', () => {
  let db: { url: string; drop(): Promise<void> };
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(
      `INSERT INTO audit_log (action, entity_type, entity_id, after) VALUES ('x.created', 'x', gen_random_uuid(), '{"a":1}')`,
    );
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it.each([
    ['UPDATE', `UPDATE audit_log SET action = 'forged'`],
    ['DELETE', 'DELETE FROM audit_log'],
    ['TRUNCATE', 'TRUNCATE audit_log'],
  ])('refuses %s', async (_op, sql) => {
    await expect(client.query(sql)).rejects.toThrow('append-only');
    const rows = await client.query('SELECT action FROM audit_log');
    expect(rows.rows).toEqual([{ action: 'x.created' }]);
  });
});
