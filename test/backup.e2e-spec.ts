/* Backup and restore: a backup of a used database, restored into a fresh PostgreSQL cluster, gives
 * the same figures, the same ledger and the same audit log; a second restore over data is refused. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { backupDatabase, loadConfig, restoreDatabase, runMigrations } from '@liexi/platform';
import { Client } from 'pg';
import { createApp } from '../apps/api/src/bootstrap';
import { Api, startTestApp, type TestApp } from './support/app';

const PERIOD = 'from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z';

describe('backup and restore', () => {
  let source: TestApp;
  let fresh: { url: string; stop(): Promise<void> };
  let restored: INestApplication;
  let dir: string;
  const audit = async (url: string): Promise<unknown[]> => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query('SELECT * FROM audit_log ORDER BY id')).rows;
    } finally {
      await c.end();
    }
  };
  const views = async (base: string): Promise<unknown[]> => {
    const sec = await Api.login(base, 'secretary');
    return Promise.all([
      sec.ok(sec.get(`/api/figures/attendance?${PERIOD}`)),
      sec.ok(sec.get('/api/ledger')),
      sec.ok(sec.get('/api/units')),
    ]);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'liexi-backup-'));
    source = await startTestApp();
    // A database created from template0 and migrated, as on a new server (not a template clone).
    const name = `restored_${randomBytes(4).toString('hex')}`;
    const adminUrl = process.env.LIEXI_TEST_ADMIN_URL ?? '';
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    fresh = {
      url: url.toString(),
      stop: async () => {
        const c = new Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
    await runMigrations(fresh.url);
  });
  afterAll(async () => {
    await restored?.close();
    await source.close();
    await fresh.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores into a new database with the same figures, ledger and audit log', async () => {
    const sec = await Api.login(source.baseUrl, 'secretary');
    await sec.ok(sec.post('/api/units', { name: '县数据资源局', kind: 'department' }), 201);
    const before = await views(source.baseUrl);
    const file = join(dir, 'liexi.backup.gz');
    const header = await backupDatabase(source.databaseUrl, file);
    expect(header.tables.find((t) => t.name === 'audit_log')?.rows).toBeGreaterThan(0);
    expect(header.tables.map((t) => t.name)).not.toContain('schema_migrations');

    await restoreDatabase(fresh.url, file);
    expect(await audit(fresh.url)).toEqual(await audit(source.databaseUrl));
    const config = loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      SEED_DEMO: 'false',
      JOBS_ENABLED: 'false',
    });
    restored = await createApp(config, fresh.url, { logger: false });
    await restored.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(restored.getHttpServer() as { address(): AddressInfo }).address().port}`;
    expect(await views(base)).toEqual(before);
    // The restored database takes new writes after the restored rows.
    const again = await Api.login(base, 'secretary');
    await again.ok(again.post('/api/units', { name: '县档案馆', kind: 'department' }), 201);

    await expect(restoreDatabase(fresh.url, file)).rejects.toThrow('already holds data');
  });
});
