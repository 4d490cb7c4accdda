/* One unit of work, one connection: inside a transaction every read and write runs on its
 * connection (nested calls join it), a second pool connection is refused at once instead of
 * deadlocking under load, after-commit work runs only after a commit, and a deadlock is
 * retried before it is answered. */
import { getDataSourceToken } from '@nestjs/typeorm';
import { Db, DatabaseHealthService } from '@liexi/platform';
import type { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/app';

describe('the unit of work', () => {
  let t: TestApp;
  let db: Db;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_ENABLED: 'false', SEED_DEMO: 'false' });
    db = t.app.get(Db);
    dataSource = t.app.get<DataSource>(getDataSourceToken());
  });
  afterAll(async () => {
    await t.close();
  });

  const pid = async (): Promise<number> =>
    Number((await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid);

  it('runs every statement of a transaction, nested ones too, on one connection', async () => {
    const pids = await db.transaction(async () => {
      const outer = await pid();
      const inner = await db.transaction(() => pid());
      const parallel = await Promise.all([pid(), pid(), pid()]);
      return [outer, inner, ...parallel];
    });
    expect(new Set(pids).size).toBe(1);
    expect(db.inTransaction).toBe(false);
  });

  it('refuses a second pool connection inside a running transaction', async () => {
    await expect(db.transaction(() => dataSource.query('SELECT 1'))).rejects.toThrow(
      /second pool connection/,
    );
    // Outside a transaction the pool serves as usual.
    await expect(dataSource.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });

  it('runs after-commit work after the commit, and never after a rollback', async () => {
    const seen: string[] = [];
    await db.transaction(async () => {
      db.afterCommit(() => seen.push('committed'));
      await db.query('SELECT 1');
      seen.push('work done');
    });
    await expect(
      db.transaction(async () => {
        db.afterCommit(() => seen.push('must not run'));
        await db.query('SELECT 1');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(seen).toEqual(['work done', 'committed']);
  });

  it('retries a deadlock and then succeeds', async () => {
    await dataSource.query('CREATE TABLE uow_deadlock (id int PRIMARY KEY, n int NOT NULL)');
    await dataSource.query('INSERT INTO uow_deadlock VALUES (1, 0), (2, 0)');
    let attempts = 0;
    const cross = (first: number, second: number, gate: Promise<void>, arrived: () => void) =>
      db.transaction(async () => {
        attempts++;
        await db.query('UPDATE uow_deadlock SET n = n + 1 WHERE id = $1', [first]);
        arrived();
        await gate;
        await db.query('UPDATE uow_deadlock SET n = n + 1 WHERE id = $1', [second]);
      });
    let arrivals = 0;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const arrived = (): void => {
      if (++arrivals === 2) open();
    };
    await Promise.all([cross(1, 2, gate, arrived), cross(2, 1, gate, arrived)]);
    expect(attempts).toBe(3); // one of the two was chosen as the deadlock victim and ran again
    const rows = await dataSource.query('SELECT n FROM uow_deadlock ORDER BY id');
    expect(rows).toEqual([{ n: 2 }, { n: 2 }]);
  });

  it('reports the pool for the readiness probe', async () => {
    const health = await t.app.get(DatabaseHealthService).check();
    expect(health.database).toBe('ok');
    expect(health.pool.max).toBe(20);
    expect(health.latencyMs).toBeLessThan(1000);
  });
});
