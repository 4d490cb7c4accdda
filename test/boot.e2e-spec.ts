/* Start-up: an external DATABASE_URL is used as is (no embedded server); the demo seed runs once. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, resolveDatabase } from '@liexi/platform';
import { Client } from 'pg';
import { createApp } from '../apps/api/src/bootstrap';
import { createTestDatabase } from './support/database';

describe('boot', () => {
  let db: { url: string; drop(): Promise<void> };
  let dataDir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'liexi-boot-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses DATABASE_URL and never starts an embedded PostgreSQL', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      JWT_SECRET: 'x'.repeat(32),
    });
    const lines: string[] = [];
    const resolved = await resolveDatabase(config, (l) => lines.push(l));
    expect(resolved).toMatchObject({ url: db.url, embedded: false });
    expect(existsSync(join(dataDir, 'pg'))).toBe(false);
    expect(lines.join('\n')).toContain('using DATABASE_URL');
  });

  it('seeds the demo data once: a second start adds nothing', async () => {
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), DATA_DIR: dataDir });
    const counts = async (): Promise<Record<string, number>> => {
      const c = new Client({ connectionString: db.url });
      await c.connect();
      try {
        const r = await c.query(
          `SELECT (SELECT count(*) FROM account)::int AS accounts, (SELECT count(*) FROM meeting)::int AS meetings,
                  (SELECT count(*) FROM invitation)::int AS invitations, (SELECT count(*) FROM unit)::int AS units`,
        );
        return r.rows[0];
      } finally {
        await c.end();
      }
    };
    const first = await createApp(config, db.url, { logger: false });
    await first.close();
    const afterFirst = await counts();
    expect(afterFirst).toEqual({ accounts: 10, meetings: 1, invitations: 4, units: 5 });
    const second = await createApp(config, db.url, { logger: false });
    await second.close();
    expect(await counts()).toEqual(afterFirst);
  });

  it('never seeds in production', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      // Outside NODE_ENV=test a guessable secret (32 × "x") is refused since issue 9.
      JWT_SECRET: '5f0c1d9e8a7b6c4d3e2f1a0b9c8d7e6f',
      SEED_DEMO: 'true',
      DATA_DIR: dataDir,
    });
    expect(config.seedDemo).toBe(false);
  });
});
