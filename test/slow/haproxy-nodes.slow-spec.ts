/* Two api processes (the built dist/) behind a real HAProxy, websocket transport, one PostgreSQL.
 * Both start at once on an empty database: migrations run once, daily jobs are scheduled once.
 * Tablets spread over both nodes see every event of their meeting; one node is killed (kill -9)
 * mid-session, its tablets reconnect through the balancer to the other and resume with afterSeq
 * gap-free; no acked input is lost. A third node then joins and is stopped with SIGTERM: it
 * drains (readiness 503, acks in hand answered, transports closed), exits 0, and its tablets move
 * on without losing anything. Figures are printed (for DEPLOYMENT.md), nothing is timed. */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, TokenService } from '@liexi/platform';
import { Client } from 'pg';
import { type Plenary, seedPlenary } from '../../bench/seed-plenary';
import {
  emptyDatabase,
  ensureBuilt,
  healthy,
  type Node,
  ROOT,
  startHaproxy,
  startNode,
  submitAll,
  type Tablet,
  tablet,
  until,
} from './cluster';

const SECRET = randomBytes(24).toString('hex');
const TABLETS = 24;

describe('api processes behind HAProxy', () => {
  const nodes: Node[] = [];
  let haproxy: ChildProcess | undefined;
  let lbBase = '';
  let dir: string;
  let db: { url: string; drop(): Promise<void> };
  let pg: Client;
  const tablets: Tablet[] = [];
  const env = (name: string): Record<string, string> => ({
    DATABASE_URL: db.url,
    JWT_SECRET: SECRET,
    LIVE_RATE_LIMIT: '10000',
    SHUTDOWN_TIMEOUT_MS: '15000',
    JOBS_POLL_SECONDS: '1',
    HOSTNAME: name,
  });
  const lastSeq = async (meetingId: string): Promise<number> =>
    Number(
      (
        await pg.query('SELECT coalesce(max(seq), 0) AS s FROM event_log WHERE stream = $1', [
          `meeting:${meetingId}`,
        ])
      ).rows[0].s,
    );
  const stored = async (meetingId: string): Promise<Set<string>> =>
    new Set(
      (await pg.query('SELECT client_key FROM input WHERE meeting_id = $1', [meetingId])).rows.map(
        (r) => r.client_key as string,
      ),
    );
  const gapFree = (t: Tablet, from: number, to: number): boolean =>
    t.seqs.filter((s) => s > from).join() ===
    Array.from({ length: to - from }, (_, k) => from + 1 + k).join();

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'liexi-haproxy-'));
    db = await emptyDatabase();
    // Both start at once on the empty database: they race to migrate it.
    nodes.push(...(await Promise.all([startNode(dir, env('node1')), startNode(dir, env('node2'))])));
    for (const n of nodes)
      await until(
        () => healthy(`http://127.0.0.1:${n.port}`),
        90_000,
        `node on ${n.port}: ${n.log.join('')}`,
      );
    const lb = await startHaproxy(
      dir,
      nodes.map((n) => n.port),
    );
    haproxy = lb.proc;
    await until(() => healthy(lb.base), 15_000, 'haproxy');
    lbBase = lb.base;
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, 180_000);

  afterAll(async () => {
    for (const t of tablets) t.socket.close();
    for (const n of nodes) if (n.proc.exitCode === null) n.proc.kill('SIGKILL');
    haproxy?.kill('SIGKILL');
    // Child processes are waited for: no pipe of theirs keeps the Jest worker alive.
    await Promise.all([
      ...nodes.map((n) => n.exited),
      ...(haproxy && haproxy.exitCode === null ? [new Promise((r) => haproxy?.once('exit', r))] : []),
    ]);
    await pg?.end();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs migrations once and each daily job once', async () => {
    const applied = (await pg.query('SELECT name FROM schema_migrations')).rows.map((r) => r.name as string);
    const files = readdirSync(join(ROOT, 'libs/platform/src/database/migrations')).filter((f) =>
      f.endsWith('.ts'),
    );
    expect(applied.length).toBe(files.length);
    expect(new Set(applied).size).toBe(applied.length);
    // Each migration was applied by one node only (the other found nothing to do under the lock).
    const appliedLines = nodes
      .flatMap((n) => n.log.join('').split('\n'))
      .filter((l) => l.includes('database: applied migration'));
    expect(appliedLines.length).toBe(files.length);
    expect(nodes.filter((n) => n.log.join('').includes('database: applied migration')).length).toBe(1);
    // Both nodes schedule today's run of every daily job at start and poll: each ran once (one
    // claim), and tomorrow's run is scheduled once.
    const keyed = async (): Promise<{ name: string; status: string; attempts: number; due: boolean }[]> =>
      (
        await pg.query(
          `SELECT name, status, attempts, run_at <= now() AS due FROM job WHERE key IS NOT NULL AND payload = '{}'::jsonb ORDER BY name, run_at`,
        )
      ).rows;
    await until(
      async () => {
        const rows = await keyed();
        return rows.some((r) => r.due) && rows.every((r) => !r.due || r.status === 'done');
      },
      30_000,
      'daily jobs ran',
    );
    const byName = new Map<string, string[]>();
    for (const r of await keyed())
      byName.set(r.name, [...(byName.get(r.name) ?? []), `${r.status}:${r.attempts}`]);
    expect(byName.size).toBeGreaterThanOrEqual(3);
    for (const [, runs] of byName) expect(runs).toEqual(['done:1', 'pending:0']);
  });

  let room: Plenary;

  it('keeps every tablet gap-free through a kill -9 of one node; no acked input is lost', async () => {
    room = await seedPlenary(
      db.url,
      new TokenService(loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET })),
      TABLETS,
    );
    const meetingId = room.meetingId;
    for (const a of room.attendees) tablets.push(tablet(lbBase, a.token, meetingId));
    await until(() => tablets.every((t) => t.joined), 30_000, 'tablets joined');
    const startSeq = Math.min(...tablets.map((t) => t.lastSeq));

    const acked = new Set<string>();
    const work = Promise.all(tablets.map((t) => submitAll(t, meetingId, 6, (k) => acked.add(k))));
    await until(() => acked.size >= TABLETS, 30_000, 'first inputs');
    const before = acked.size;
    nodes[0]?.proc.kill('SIGKILL');
    const t0 = Date.now();
    await work;
    const moved = tablets.filter((t) => t.reconnects > 0).length;
    const keys = await stored(meetingId);
    for (const key of acked) expect(keys.has(key)).toBe(true);
    const last = await lastSeq(meetingId);
    await until(() => tablets.every((t) => t.lastSeq === last), 30_000, 'every tablet at the last seq');
    const caughtUp = Date.now() - t0;
    for (const t of tablets) expect(gapFree(t, startSeq, last)).toBe(true);
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(TABLETS);
    process.stdout.write(
      `haproxy kill -9: ${TABLETS} tablets, ${acked.size} inputs acked and stored (${before} before the kill), ` +
        `${moved} tablets moved, all at seq ${last} ${caughtUp} ms after the kill, gaps healed by afterSeq: ` +
        `${tablets.reduce((n, t) => n + t.gaps, 0)}\n`,
    );
  }, 180_000);

  it('drains a node on SIGTERM: exit 0, its tablets move on, nothing acked is lost', async () => {
    // A third node, behind a second balancer with the surviving node.
    const meetingId = room.meetingId;
    const third = await startNode(dir, env('node3'));
    nodes.push(third);
    await until(() => healthy(`http://127.0.0.1:${third.port}`), 60_000, 'third node');
    const lb2 = await startHaproxy(dir, [nodes[1]?.port ?? 0, third.port]);
    await until(() => healthy(lb2.base), 15_000, 'second haproxy');
    const fresh = room.attendees.map((a) => tablet(lb2.base, a.token, meetingId));
    tablets.push(...fresh);
    try {
      await until(() => fresh.every((t) => t.joined), 30_000, 'tablets joined');
      const startSeq = Math.min(...fresh.map((t) => t.lastSeq));
      const acked = new Set<string>();
      const work = Promise.all(fresh.map((t) => submitAll(t, meetingId, 6, (k) => acked.add(k))));
      await until(() => acked.size >= TABLETS, 30_000, 'first inputs');
      const t0 = Date.now();
      third.proc.kill('SIGTERM');
      const code = await third.exited;
      const stoppedMs = Date.now() - t0;
      await work;
      expect(code).toBe(0);
      expect(third.log.join('')).toContain('stopped cleanly');
      const moved = fresh.filter((t) => t.disconnects.includes('transport close')).length;
      expect(moved).toBeGreaterThan(0);
      const keys = await stored(meetingId);
      for (const key of acked) expect(keys.has(key)).toBe(true);
      const last = await lastSeq(meetingId);
      await until(() => fresh.every((t) => t.lastSeq === last), 30_000, 'every tablet at the last seq');
      for (const t of fresh) expect(gapFree(t, startSeq, last)).toBe(true);
      process.stdout.write(
        `haproxy SIGTERM: node drained and exited 0 in ${stoppedMs} ms, ${moved} tablets moved, ` +
          `${acked.size} inputs acked and stored, all tablets gap-free at seq ${last}\n`,
      );
    } finally {
      lb2.proc.kill('SIGKILL');
    }
  }, 180_000);
});
