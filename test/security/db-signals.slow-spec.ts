/* The real embedded PostgreSQL of a running api frozen with SIGSTOP mid-stream (every process
 * of the cluster, as a stalled host would): no submit is acked while it cannot commit, every
 * client gets the retryable UNAVAILABLE within the configured bound, health says the database is
 * down while liveness stays up; after SIGCONT the api recovers by itself and the same clientKeys
 * are stored once. (The proxy-based freeze of test/db-freeze.e2e-spec.ts, with real signals.) */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { APP_ROLE, pgUrl } from '../../libs/platform/src/database/embedded-credentials';
import { Api, connectLive, emitAck } from '../support/app';
import { buildIfStale } from '../support/build';
import { spawnApi, waitReady } from './support/api-process';
import { demoMeetingId } from '../support/demo-meeting';

const STATEMENT_MS = 1000;
const ACQUIRE_MS = 1000;
/** Client read timeout (statement + 2 s grace) + a pool wait, + slack for a busy machine. */
const BOUND_MS = STATEMENT_MS + 2000 + ACQUIRE_MS + 4000;

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });

/** The postmaster and every process it started (Linux /proc). */
function cluster(postmaster: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) children.push(Number(entry));
    } catch {
      // gone
    }
  }
  return [postmaster, ...children];
}

const health = async (base: string): Promise<{ status: number; body: unknown }> => {
  const res = await fetch(`${base}/api/health`);
  return { status: res.status, body: await res.json().catch(() => null) };
};

describe('the embedded PostgreSQL frozen with SIGSTOP under a running api', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'liexi-sigstop-'));
  chmodSync(dataDir, 0o711);
  let api: ChildProcess | undefined;
  let output = '';
  let base = '';
  let pgPort = 0;
  let frozen: number[] = [];

  beforeAll(async () => {
    buildIfStale();
    const port = await freePort();
    pgPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = spawnApi(
      {
        DATA_DIR: dataDir,
        PORT: String(port),
        EMBEDDED_PG_PORT: String(pgPort),
        DB_POOL_SIZE: '6',
        DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_MS),
        DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_MS),
      },
      (text) => (output += text),
    );
    await waitReady(api, base, () => output);
  }, 300_000);
  afterAll(async () => {
    for (const pid of [...frozen].reverse()) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone
      }
    }
    if (api && api.exitCode === null && api.signalCode === null) {
      const done = new Promise((r) => api?.once('exit', r));
      api.kill('SIGTERM');
      await done;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('no ack while frozen, UNAVAILABLE within the bound, health down; recovers by itself after SIGCONT', async () => {
    const postmaster = Number(/embedded PostgreSQL on 127\.0\.0\.1:\d+ \(pid (\d+)\)/.exec(output)?.[1]);
    expect(postmaster).toBeGreaterThan(0);
    const member = await Api.login(base, 'member1');
    const meetingId = await demoMeetingId(await Api.login(base, 'secretary'));
    const tablet = await connectLive(base, member.token);
    try {
      expect(await emitAck(tablet, 'meeting.join', { meetingId })).toMatchObject({ ok: true });
      const submit = (clientKey: string, i: number) =>
        emitAck<{ inputId: string }>(
          tablet,
          'input.submit',
          { meetingId, clientKey, kind: 'problem', text: `冻结中 ${i}` },
          30_000,
        );
      expect((await submit(randomUUID(), -1)).ok).toBe(true);

      frozen = cluster(postmaster);
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
      const keys = Array.from({ length: 20 }, () => randomUUID());
      const started = Date.now();
      const answers = await Promise.all(
        keys.map(async (k, i) => ({ ack: await submit(k, i), ms: Date.now() - started })),
      );
      const down = await health(base);
      const live = await fetch(`${base}/api/health/live`);
      expect(answers.map((a) => (a.ack.ok ? 'acked' : a.ack.error.code))).toEqual(
        keys.map(() => 'UNAVAILABLE'),
      );
      expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(BOUND_MS);
      expect(down).toMatchObject({ status: 503, body: { database: 'down' } });
      expect(live.status).toBe(200);

      for (const pid of [...frozen].reverse()) process.kill(pid, 'SIGCONT');
      frozen = [];
      const until = Date.now() + 30_000;
      while ((await health(base)).status !== 200) {
        if (Date.now() > until) throw new Error('the api did not recover');
        await new Promise((r) => setTimeout(r, 200));
      }
      let retried = await Promise.all(keys.map((k, i) => submit(k, i)));
      for (let round = 0; round < 5 && retried.some((a) => !a.ok); round++)
        retried = await Promise.all(keys.map((k, i) => submit(k, i)));
      expect(retried.every((a) => a.ok)).toBe(true);
    } finally {
      tablet.close();
    }

    const credentials = JSON.parse(readFileSync(join(dataDir, 'pg-credentials'), 'utf8')) as {
      appPassword: string;
    };
    const db = new Client({ connectionString: pgUrl(APP_ROLE, credentials.appPassword, pgPort, 'liexi') });
    await db.connect();
    try {
      const rows = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM input WHERE meeting_id = $1 AND text LIKE '冻结中 %' AND text <> '冻结中 -1'
         GROUP BY client_key`,
        [meetingId],
      );
      expect(rows.rows.length).toBe(20);
      expect(rows.rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await db.end();
    }
  }, 180_000);
});
