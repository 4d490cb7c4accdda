/* An external PostgreSQL (DATABASE_URL) killed with SIGKILL of its postmaster while tablets
 * submit to a running api (the built dist/, a real process), then started again on the same
 * port and data: no ack claims an input that is not stored, every submit is answered within the
 * configured bound (acked, or the retryable UNAVAILABLE), health says the database is down within
 * 1 s; once PostgreSQL is back the api recovers by itself, without a restart: health 200, its
 * listeners (event log, socket.io adapter) listen again, new submits are acked, resends of what
 * was not acked are stored once, the meeting's seqs have no gap and a rejoin with afterSeq gets
 * exactly the missed events. */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { Api, collectEvents, connectLive, emitAck, waitFor } from '../support/app';
import { buildIfStale } from '../support/build';
import { spawnApi, waitReady } from './support/api-process';
import { demoMeetingId } from '../support/demo-meeting';
import { exited, type StartedCluster, startClusterProcess } from './support/embedded-cluster';

const STATEMENT_MS = 1000;
const ACQUIRE_MS = 1000;
/** Client read timeout (statement + 2 s grace) + a pool wait, + slack for a busy machine. */
const BOUND_MS = STATEMENT_MS + 2000 + ACQUIRE_MS + 4000;
/** How long the api may take to notice that PostgreSQL is back. */
const RECOVER_MS = 15_000;

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Health {
  status: number;
  body: { database?: string } | null;
  sentAt: number;
  ms: number;
}
const health = async (base: string): Promise<Health> => {
  const sentAt = Date.now();
  const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json().catch(() => null)) as Health['body'];
  return { status: res.status, body, sentAt, ms: Date.now() - sentAt };
};

/** The api's ERROR lines with what follows them (stack, fields), for a failure's message. */
const errorsOf = (log: string): string =>
  log
    .split(/\n(?=\S)/)
    .filter((entry) => entry.includes('ERROR'))
    .join('\n')
    .slice(0, 8_000);

interface Try {
  clientKey: string;
  tablet: number;
  text: string;
  sentAt: number;
  ms?: number;
  /** The inputId when acked, the error code when refused, 'none' when no ack came. */
  outcome?: { ok: true; inputId: string } | { ok: false; code: string };
}

describe('an external PostgreSQL killed (SIGKILL) under a running api, then started again', () => {
  const root = mkdtempSync(join(tmpdir(), 'liexi-pgkill-'));
  chmodSync(root, 0o711); // the embedded server's own user must reach its folder
  const pgDir = join(root, 'pg');
  const credentialsFile = join(root, 'pg-credentials');
  const dataDir = join(root, 'api');
  const clusterLog: string[] = [];
  let cluster: { child: ChildProcess; db: StartedCluster } | undefined;
  let api: ChildProcess | undefined;
  let output = '';
  let base = '';

  const startCluster = async (port?: number): Promise<{ child: ChildProcess; db: StartedCluster }> => {
    // Right after a kill the orphaned backends may still hold the shared memory for a moment.
    for (let attempt = 0; ; attempt++) {
      try {
        return await startClusterProcess(pgDir, credentialsFile, clusterLog, port);
      } catch (err) {
        if (attempt >= 4) throw err;
        await sleep(1000);
      }
    }
  };
  const stopCluster = async (): Promise<void> => {
    if (!cluster) return;
    const { child } = cluster;
    cluster = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited(child);
    }
  };

  beforeAll(async () => {
    buildIfStale();
    cluster = await startCluster();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = spawnApi(
      {
        DATA_DIR: dataDir,
        DATABASE_URL: cluster.db.url,
        SEED_DEMO: 'true',
        PORT: String(port),
        DB_POOL_SIZE: '6',
        DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_MS),
        DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_MS),
      },
      (text) => (output += text),
    );
    await waitReady(api, base, () => output);
  }, 300_000);
  afterAll(async () => {
    if (api && api.exitCode === null && api.signalCode === null) {
      const done = new Promise((r) => api?.once('exit', r));
      api.kill('SIGTERM');
      await done;
    }
    await stopCluster();
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('answers every submit within the bound, acks only what is stored, says down, and recovers by itself', async () => {
    const secretary = await Api.login(base, 'secretary');
    const meetingId = await demoMeetingId(secretary);
    const names = ['deputy1', 'member1', 'citizen1', 'entrepreneur1'];
    const tokens = await Promise.all(names.map(async (n) => (await Api.login(base, n)).token ?? ''));

    // An observer follows the meeting; it remembers the last seq it saw before the kill.
    const observer = await connectLive(base, secretary.token);
    const seen = collectEvents(observer);
    const joined = await emitAck<{ seq: number }>(observer, 'meeting.join', { meetingId });
    if (!joined.ok) throw new Error(JSON.stringify(joined));

    const tries: Try[] = [];
    let stop = false;
    const submitLoop = async (tablet: number, socket: Socket): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const t: Try = {
          clientKey: `pgkill-${tablet}-${i.toString().padStart(5, '0')}`,
          tablet,
          text: `平板 ${tablet} 的第 ${i} 条`,
          sentAt: Date.now(),
        };
        tries.push(t);
        const ack = await emitAck<{ inputId: string }>(
          socket,
          'input.submit',
          { meetingId, clientKey: t.clientKey, kind: 'problem', text: t.text },
          30_000,
        ).catch(() => null);
        t.ms = Date.now() - t.sentAt;
        t.outcome = !ack
          ? { ok: false, code: 'none' }
          : ack.ok
            ? { ok: true, inputId: ack.data.inputId }
            : { ok: false, code: ack.error.code };
        if (!ack?.ok) await sleep(100); // a client backs off a little before its next input
      }
    };
    const tablets = await Promise.all(tokens.map((tk) => connectLive(base, tk)));
    const acked = (): Try[] => tries.filter((t) => t.outcome?.ok);
    try {
      for (const s of tablets)
        expect(await emitAck(s, 'meeting.join', { meetingId })).toMatchObject({ ok: true });
      const loops = tablets.map((s, i) => submitLoop(i, s));
      await waitFor(() => acked().length >= 30, 30_000);

      // SIGKILL of the postmaster mid-stream: no shutdown, no checkpoint.
      const postmaster = cluster?.db.pid ?? 0;
      expect(postmaster).toBeGreaterThan(0);
      const killedAt = Date.now();
      process.kill(postmaster, 'SIGKILL');
      const lastSeenBefore = Math.max(joined.data.seq, ...seen.map((e) => e.seq));

      // Health says the database is down within 1 s, each answer within 1 s.
      const probes: Health[] = [];
      for (;;) {
        const h = await health(base);
        probes.push(h);
        if (h.status === 503 || Date.now() - killedAt > 3_000) break;
        await sleep(50);
      }
      const down = probes.at(-1) as Health;
      expect(down).toMatchObject({ status: 503, body: { database: 'down' } });
      expect(down.sentAt + down.ms - killedAt).toBeLessThan(1_000);
      expect(Math.max(...probes.map((p) => p.ms))).toBeLessThan(1_000);

      // Let the stream run against the dead database for a while.
      await sleep(3_000);
      const refusedWhileDown = tries.filter((t) => t.sentAt > killedAt + 500 && t.outcome && !t.outcome.ok);
      expect(refusedWhileDown.length).toBeGreaterThanOrEqual(tablets.length);
      expect((await health(base)).status).toBe(503);

      // PostgreSQL back on the same port and data (it recovers from its write-ahead log).
      const port = cluster?.db.port;
      await stopCluster();
      cluster = await startCluster(port);
      expect(cluster.db.port).toBe(port);
      expect(clusterLog.join('\n')).toMatch(/did not shut down cleanly/);
      const restartedAt = Date.now();
      let recovered = await health(base);
      while (recovered.status !== 200) {
        if (Date.now() - restartedAt > RECOVER_MS) throw new Error(`the api did not recover:\n${output}`);
        await sleep(200);
        recovered = await health(base);
      }
      expect(recovered.body).toMatchObject({ database: 'ok' });

      // New submits are acked again on every tablet, without reconnecting them.
      const ackedBeforeRecovery = new Set(acked().map((t) => t.clientKey));
      await waitFor(
        () =>
          tablets.every((_, i) =>
            acked().some((t) => t.tablet === i && !ackedBeforeRecovery.has(t.clientKey)),
          ),
        RECOVER_MS,
      );
      stop = true;
      await Promise.all(loops);

      // Every answer came within the bound, and every refusal was the retryable UNAVAILABLE.
      expect(tries.every((t) => t.outcome !== undefined)).toBe(true);
      const slowest = Math.max(...tries.map((t) => t.ms ?? Infinity));
      expect(slowest).toBeLessThan(BOUND_MS);
      const refusals = tries
        .filter((t) => t.outcome && !t.outcome.ok)
        .map((t) => (t.outcome as { code: string }).code);
      expect(refusals.length).toBeGreaterThan(0);
      if (refusals.some((c) => c !== 'UNAVAILABLE'))
        throw new Error(`refused with ${refusals.join()}; the api's errors:\n${errorsOf(output)}`);
      expect(new Set(refusals)).toEqual(new Set(['UNAVAILABLE']));

      // The clients resend what was not acked (and some acked ones), with the same clientKeys.
      const first = new Map(acked().map((t) => [t.clientKey, (t.outcome as { inputId: string }).inputId]));
      const resend = tries.filter((t, i) => !t.outcome?.ok || i % 10 === 0);
      for (const t of resend) {
        const ack = await emitAck<{ inputId: string }>(tablets[t.tablet], 'input.submit', {
          meetingId,
          clientKey: t.clientKey,
          kind: 'problem',
          text: t.text,
        });
        if (!ack.ok) throw new Error(`${t.clientKey}: ${JSON.stringify(ack)}`);
        const before = first.get(t.clientKey);
        if (before) expect(ack.data.inputId).toBe(before); // the same input, not a second one
        first.set(t.clientKey, ack.data.inputId);
      }
      expect(api?.exitCode).toBeNull(); // recovered by itself: never restarted

      const db = new Client({ connectionString: cluster.db.url });
      await db.connect();
      try {
        // Every acked input is stored, once, as acked; every tried one is stored once now.
        const rows = await db.query<{ client_key: string; n: number; id: string }>(
          `SELECT client_key, count(*)::int AS n, min(id::text) AS id FROM input
           WHERE meeting_id = $1 AND client_key LIKE 'pgkill-%' GROUP BY client_key`,
          [meetingId],
        );
        const stored = new Map(rows.rows.map((r) => [r.client_key, r]));
        for (const [key, inputId] of first)
          expect(stored.get(key)).toEqual({ client_key: key, n: 1, id: inputId });
        expect(stored.size).toBe(tries.length);

        // The api listens again: the event log's listener and the socket.io adapter's.
        const listening = async (): Promise<string[]> =>
          (
            await db.query<{ who: string }>(
              `SELECT CASE WHEN application_name = 'liexi-event-fanout' THEN 'event log'
                           WHEN query LIKE 'LISTEN "socket.io#%' THEN 'socket.io' END AS who
               FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
            )
          ).rows
            .map((r) => r.who)
            .sort();
        const until = Date.now() + RECOVER_MS;
        while ((await listening()).join() !== 'event log,socket.io' && Date.now() < until) await sleep(250);
        expect(await listening()).toEqual(['event log', 'socket.io']);

        // The meeting's seqs have no gap.
        const seqs = (
          await db.query<{ seq: string }>('SELECT seq FROM event_log WHERE stream = $1 ORDER BY seq', [
            `meeting:${meetingId}`,
          ])
        ).rows.map((r) => Number(r.seq));
        const last = seqs.at(-1) ?? 0;
        expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => last - seqs.length + 1 + i));

        // The observer, connected all along, rejoins after the last seq it saw before the kill:
        // exactly the events after it.
        const missed = await emitAck<{ seq: number; events?: { seq: number }[] }>(observer, 'meeting.join', {
          meetingId,
          afterSeq: lastSeenBefore,
        });
        if (!missed.ok) throw new Error(JSON.stringify(missed));
        expect(missed.data.seq).toBe(last);
        expect(last - lastSeenBefore).toBeLessThan(1000); // MAX_CATCH_UP_EVENTS: events, not a snapshot
        expect(missed.data.events?.map((e) => e.seq)).toEqual(
          Array.from({ length: last - lastSeenBefore }, (_, k) => lastSeenBefore + 1 + k),
        );
      } finally {
        await db.end();
      }
    } finally {
      stop = true;
      for (const s of [...tablets, observer]) s.close();
    }
  }, 180_000);
});
