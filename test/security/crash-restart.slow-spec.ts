/* kill -9 of the api while tablets submit, then a restart as the README starts it (the built
 * dist/, what `npm start` runs after building) on the same DATA_DIR: no manual cleanup (the
 * orphaned embedded PostgreSQL is stopped and replaced, and the log says so); the clients resend
 * what was not acked with the same clientKey; every acked input is stored once, the meeting's
 * seqs have no gap, and a rejoin with afterSeq gets exactly the events it missed. */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { APP_ROLE, pgUrl } from '../../libs/platform/src/database/embedded-credentials';
import { Api, collectEvents, connectLive, emitAck, waitFor } from '../support/app';
import { demoMeetingId } from '../support/demo-meeting';
import { buildIfStale } from '../support/build';
import { spawnApi, waitReady } from './support/api-process';

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

describe('kill -9 of the api while tablets submit', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'liexi-crash-'));
  chmodSync(dataDir, 0o711); // the embedded server's own user must reach DATA_DIR/pg
  let port: number;
  let pgPort: number;
  let api: ChildProcess | undefined;
  let output = '';

  const start = async (): Promise<void> => {
    api = spawnApi(
      {
        DATA_DIR: dataDir,
        PORT: String(port),
        EMBEDDED_PG_PORT: String(pgPort),
      },
      (text) => (output += text),
    );
    await waitReady(api, `http://127.0.0.1:${port}`, () => output);
  };

  beforeAll(async () => {
    buildIfStale();
    port = await freePort();
    pgPort = await freePort();
    await start();
  }, 300_000);
  afterAll(async () => {
    if (api && api.exitCode === null && api.signalCode === null) {
      api.kill('SIGTERM');
      await exited(api);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('every acked input is stored once after the restart, seqs are gap-free, a rejoin gets exactly what it missed', async () => {
    const base = `http://127.0.0.1:${port}`;
    const secretary = await Api.login(base, 'secretary');
    const meetingId = await demoMeetingId(secretary);
    const names = ['deputy1', 'member1', 'citizen1', 'entrepreneur1'];
    const tokens = await Promise.all(names.map(async (n) => (await Api.login(base, n)).token ?? ''));

    // An observer follows the meeting and remembers the last seq it saw.
    let observer = await connectLive(base, secretary.token);
    const seen = collectEvents(observer);
    const joined = await emitAck<{ seq: number }>(observer, 'meeting.join', { meetingId });
    if (!joined.ok) throw new Error(JSON.stringify(joined));

    const acked = new Map<string, string>(); // clientKey → inputId
    const tried = new Map<string, { tablet: number; text: string }>();
    let stop = false;
    const submitLoop = async (tablet: number, socket: Socket): Promise<void> => {
      for (let i = 0; !stop && socket.connected; i++) {
        const clientKey = `crash-${tablet}-${i.toString().padStart(5, '0')}`;
        const text = `平板 ${tablet} 的第 ${i} 条`;
        tried.set(clientKey, { tablet, text });
        const ack = await emitAck<{ inputId: string }>(
          socket,
          'input.submit',
          { meetingId, clientKey, kind: 'problem', text },
          3_000,
        ).catch(() => null);
        if (ack?.ok) acked.set(clientKey, ack.data.inputId);
      }
    };
    const tablets = await Promise.all(tokens.map((tk) => connectLive(base, tk)));
    for (const s of tablets) await emitAck(s, 'meeting.join', { meetingId });
    const loops = tablets.map((s, i) => submitLoop(i, s));
    await waitFor(() => acked.size >= 40, 30_000);

    api?.kill('SIGKILL');
    if (api) await exited(api);
    const lastSeenBefore = Math.max(joined.data.seq, ...seen.map((e) => e.seq));
    stop = true;
    await Promise.all(loops);
    for (const s of [...tablets, observer]) s.close();
    const ackedBefore = acked.size;
    expect(ackedBefore).toBeGreaterThanOrEqual(40);

    // The orphaned PostgreSQL still holds DATA_DIR; a plain start must cope and say so.
    output = '';
    await start();
    expect(output).toMatch(/left running by an earlier api process|did not shut down cleanly/);

    // Resend everything not acked, and some acked ones, with the same clientKeys.
    const again = await Promise.all(tokens.map((tk) => connectLive(base, tk)));
    try {
      for (const s of again)
        expect(await emitAck(s, 'meeting.join', { meetingId })).toMatchObject({ ok: true });
      const resend = [...tried].filter(([k], i) => !acked.has(k) || i % 10 === 0);
      expect(resend.length).toBeGreaterThan(0);
      for (const [clientKey, { tablet, text }] of resend) {
        const ack = await emitAck<{ inputId: string }>(again[tablet], 'input.submit', {
          meetingId,
          clientKey,
          kind: 'problem',
          text,
        });
        if (!ack.ok) throw new Error(`${clientKey}: ${JSON.stringify(ack)}`);
        const before = acked.get(clientKey);
        if (before) expect(ack.data.inputId).toBe(before); // the same input, not a second one
        acked.set(clientKey, ack.data.inputId);
      }
    } finally {
      for (const s of again) s.close();
    }

    const credentials = JSON.parse(readFileSync(join(dataDir, 'pg-credentials'), 'utf8')) as {
      appPassword: string;
    };
    const db = new Client({ connectionString: pgUrl(APP_ROLE, credentials.appPassword, pgPort, 'liexi') });
    await db.connect();
    try {
      const rows = await db.query<{ client_key: string; n: number; id: string }>(
        `SELECT client_key, count(*)::int AS n, min(id::text) AS id FROM input
         WHERE meeting_id = $1 AND client_key LIKE 'crash-%' GROUP BY client_key`,
        [meetingId],
      );
      const stored = new Map(rows.rows.map((r) => [r.client_key, r]));
      for (const [key, inputId] of acked)
        expect(stored.get(key)).toEqual({ client_key: key, n: 1, id: inputId });
      expect(rows.rows.every((r) => r.n === 1)).toBe(true);
      expect(stored.size).toBe(tried.size); // every tried one is stored once now (all resent)

      const seqs = (
        await db.query<{ seq: string }>('SELECT seq FROM event_log WHERE stream = $1 ORDER BY seq', [
          `meeting:${meetingId}`,
        ])
      ).rows.map((r) => Number(r.seq));
      const last = seqs.at(-1) ?? 0;
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => last - seqs.length + 1 + i));

      // The observer rejoins after the last seq it saw: exactly the events after it.
      observer = await connectLive(base, secretary.token);
      try {
        const missed = await emitAck<{ seq: number; events?: { seq: number }[] }>(observer, 'meeting.join', {
          meetingId,
          afterSeq: lastSeenBefore,
        });
        if (!missed.ok) throw new Error(JSON.stringify(missed));
        expect(missed.data.seq).toBe(last);
        // Fewer than MAX_CATCH_UP_EVENTS were missed: the events themselves, not a snapshot.
        expect(missed.data.events?.map((e) => e.seq)).toEqual(
          Array.from({ length: last - lastSeenBefore }, (_, k) => lastSeenBefore + 1 + k),
        );
      } finally {
        observer.close();
      }
    } finally {
      await db.end();
    }
  }, 300_000);
});
