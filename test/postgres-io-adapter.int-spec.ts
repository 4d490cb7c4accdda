/* The socket.io adapter's pool when the server ends a checked-out client (PostgreSQL killed or
 * restarted): the error reaches the handler instead of ending the process, the slot is freed,
 * and a new client can be had at once. (The whole story, with a real kill: test/security/db-kill.slow-spec.ts.) */
import { Client, Pool } from 'pg';
import { givesBackLostClients } from '../apps/api/src/live/postgres-io.adapter';
import { createTestDatabase } from './support/database';

describe('the socket.io adapter pool gives back a client whose server went away', () => {
  let db: { url: string; drop(): Promise<void> };
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 1 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('a terminated listening client: error handled, slot freed, the next connect works', async () => {
    const errors: Error[] = [];
    const adapterPool = givesBackLostClients(pool, (err) => errors.push(err));
    const listening = await adapterPool.connect();
    await listening.query('LISTEN "socket.io#/live"');
    const pid = (await listening.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const ended = new Promise<void>((resolve) => listening.once('end', () => resolve()));

    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      // What a killed or restarting server sends: FATAL 57P01, then the connection closes.
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    await ended;

    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['57P01']);
    expect(pool.totalCount).toBe(0); // the one slot (max 1) is free again
    const next = await adapterPool.connect();
    try {
      expect((await next.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      next.release();
      next.release(); // the adapter may release after a loss was handled: harmless
    }
    expect(pool.idleCount).toBe(1);
    // Everything else is the pool's own.
    expect((await adapterPool.query<{ two: number }>('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });
});
