/* The embedded PostgreSQL as a local intruder meets it: nothing in the source logs in, the
 * passwords are generated per data folder and kept 0600, the api's role is no superuser and
 * cannot read password hashes, the server listens on the loopback only; and a postmaster left
 * running by a killed api is stopped and replaced on the next start, data kept, said so. */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  APP_ROLE,
  LEGACY_SUPERUSER_PASSWORD,
  pgUrl,
  SUPERUSER,
} from '../../libs/platform/src/database/embedded-credentials';
import { isAlive } from '../../libs/platform/src/database/stale-postmaster';
import { buildIfStale } from '../support/build';
import { exited, type StartedCluster, startClusterProcess } from './support/embedded-cluster';

const connectError = async (url: string): Promise<string | undefined> => {
  const c = new Client({ connectionString: url });
  try {
    await c.connect();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await c.end().catch(() => undefined);
  }
};

describe('embedded PostgreSQL credentials and a crashed api', () => {
  const root = mkdtempSync(join(tmpdir(), 'liexi-sec-pg-'));
  // Like a DATA_DIR: traversable by the server's own user (as root the package runs it as postgres).
  chmodSync(root, 0o711);
  const dir = join(root, 'pg');
  const credentialsFile = join(root, 'pg-credentials');
  const lines: string[] = [];
  let child: ChildProcess | undefined;
  let db: StartedCluster;

  beforeAll(async () => {
    buildIfStale();
    ({ child, db } = await startClusterProcess(dir, credentialsFile, lines));
  }, 300_000);
  afterAll(async () => {
    if (child) {
      child.kill('SIGTERM');
      await exited(child);
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('passwords are generated, kept 0600, and none from the source works', async () => {
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    const kept = JSON.parse(readFileSync(credentialsFile, 'utf8')) as Record<string, string>;
    expect(kept.superuserPassword?.length).toBeGreaterThanOrEqual(24);
    expect(kept.appPassword?.length).toBeGreaterThanOrEqual(24);
    expect(kept.superuserPassword).not.toBe(kept.appPassword);
    for (const [user, password] of [
      [SUPERUSER, LEGACY_SUPERUSER_PASSWORD],
      [SUPERUSER, ''],
      [SUPERUSER, 'postgres'],
      [APP_ROLE, LEGACY_SUPERUSER_PASSWORD],
    ] as const)
      expect(await connectError(pgUrl(user, password, db.port, 'postgres'))).toBe('28P01');
    expect(await connectError(db.adminUrl)).toBeUndefined();
  });

  it('the api connects as a role that owns its database but is no superuser and cannot read hashes', async () => {
    expect(new URL(db.url).username).toBe(APP_ROLE);
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      const me = await c.query<{
        rolsuper: boolean;
        rolcreaterole: boolean;
        rolcreatedb: boolean;
        owner: string;
      }>(
        `SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb,
                (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()) AS owner
         FROM pg_roles r WHERE r.rolname = current_user`,
      );
      expect(me.rows[0]).toEqual({
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        owner: APP_ROLE,
      });
      await expect(c.query('SELECT rolpassword FROM pg_authid')).rejects.toMatchObject({ code: '42501' });
      await expect(c.query(`ALTER ROLE ${APP_ROLE} SUPERUSER`)).rejects.toMatchObject({ code: '42501' });
      await c.query('CREATE TABLE kept (v text)');
      await c.query(`INSERT INTO kept VALUES ('before the crash')`);
      const listen = await c.query<{ setting: string }>(
        `SELECT setting FROM pg_settings WHERE name = 'listen_addresses'`,
      );
      expect(listen.rows[0]?.setting).toBe('127.0.0.1');
    } finally {
      await c.end();
    }
  });

  it('a postmaster left running by a killed api is stopped and replaced on the next start; data kept', async () => {
    // kill -9 of the process that started it: the server keeps running, orphaned.
    const orphan = db.pid;
    child?.kill('SIGKILL');
    if (child) await exited(child);
    expect(isAlive(orphan)).toBe(true);
    ({ child, db } = await startClusterProcess(dir, credentialsFile, lines));
    const again = db;
    expect(isAlive(orphan)).toBe(false);
    expect(lines.join('\n')).toMatch(/left running by an earlier api process \(pid \d+/);
    expect(lines.join('\n')).toMatch(/stopped/);
    const c = new Client({ connectionString: again.url });
    await c.connect();
    try {
      expect((await c.query('SELECT v FROM kept')).rows).toEqual([{ v: 'before the crash' }]);
    } finally {
      await c.end();
    }
  }, 120_000);
});
