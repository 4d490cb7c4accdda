/* Load as it arrives, on a pool of 5 connections: 500 requests in flight at once — 200
 * input.submit from 50 tablets, 150 self check-ins, 150 task moves by a unit — every one
 * answered with success, and the readiness probe answering within 1 s throughout. On a design
 * where a transaction's reads took a second pool connection, this deadlocked: every
 * connection ended `idle in transaction` waiting for another, and health hung for good. */
import { randomUUID } from 'node:crypto';
import { TokenService } from '@liexi/platform';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { seedPlenary } from '../bench/seed-plenary';
import { Api, connectLive, emitAck, startTestApp, type TestApp } from './support/app';
import { type Cast, cast, itemBody } from './support/tasks';

const POOL = 5;
const TABLETS = 50;
const SUBMITS_PER_TABLET = 4;
const CHECK_INS = 150;
const MOVES = 150;

describe(`a pool of ${POOL} under 500 requests in flight`, () => {
  let t: TestApp;
  let c: Cast;
  let db: Client;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      JOBS_ENABLED: 'false',
      DB_POOL_SIZE: String(POOL),
      LIVE_RATE_LIMIT: '100000',
      DB_ACQUIRE_TIMEOUT_MS: '20000',
    });
    c = await cast(t.baseUrl);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    for (const s of [...sockets, ...(c?.sockets ?? [])]) s.close();
    await db?.end();
    await t.close();
  });

  it('answers every submit, check-in and task move, and health stays under 1 s', async () => {
    const plenary = await seedPlenary(t.databaseUrl, t.app.get(TokenService), TABLETS + CHECK_INS);
    const tablets = plenary.attendees.slice(0, TABLETS);
    const arriving = plenary.attendees.slice(TABLETS);
    // Those arriving late have accepted but not checked in yet.
    await db.query(
      `UPDATE invitation SET status = 'accepted', checked_in_at = NULL
       WHERE meeting_id = $1 AND participant_id = ANY($2::uuid[])`,
      [plenary.meetingId, arriving.map((a) => a.participantId)],
    );
    const invitationOf = new Map(
      (
        await db.query<{ id: string; participant_id: string }>(
          'SELECT id, participant_id FROM invitation WHERE meeting_id = $1',
          [plenary.meetingId],
        )
      ).rows.map((r) => [r.participant_id, r.id]),
    );
    // Items assigned to the handler's unit, waiting to be accepted.
    const items: string[] = [];
    for (let i = 0; i < MOVES; i += 15) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(15, MOVES - i) }, (_, k) =>
          c.secretary.ok<{ id: string }>(
            c.secretary.post('/api/tasks', itemBody(c, { problem: `事项 ${i + k}`, assign: true })),
            201,
          ),
        ),
      );
      items.push(...batch.map((b) => b.id));
    }
    for (const a of tablets) sockets.push(await connectLive(t.baseUrl, a.token));

    // The readiness probe, every 50 ms while the storm lasts.
    const probes: { status: number; ms: number }[] = [];
    let storming = true;
    const prober = (async () => {
      while (storming) {
        const started = Date.now();
        const res = await fetch(`${t.baseUrl}/api/health`);
        await res.text();
        probes.push({ status: res.status, ms: Date.now() - started });
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const submits = tablets.flatMap((_a, i) =>
      Array.from({ length: SUBMITS_PER_TABLET }, (_, k) =>
        emitAck<{ inputId: string; seq: number }>(
          sockets[i],
          'input.submit',
          {
            meetingId: plenary.meetingId,
            clientKey: randomUUID(),
            kind: 'suggestion',
            text: `建议 ${i}-${k}`,
          },
          60_000,
        ),
      ),
    );
    const checkIns = arriving.map((a) =>
      new Api(t.baseUrl, a.token).post(`/api/invitations/${invitationOf.get(a.participantId)}/check-in`),
    );
    const moves = items.map((id) => c.handler.post(`/api/tasks/${id}/accept`));
    const [submitted, checked, moved] = await Promise.all([
      Promise.all(submits),
      Promise.all(checkIns),
      Promise.all(moves),
    ]);
    storming = false;
    await prober;

    expect(submitted.filter((a) => !a.ok)).toEqual([]);
    expect(checked.filter((r) => r.status !== 200)).toEqual([]);
    expect(moved.filter((r) => r.status !== 200)).toEqual([]);
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.filter((p) => p.status !== 200 || p.ms >= 1000)).toEqual([]);

    // Every acked input stored once, seqs gap-free and equal to what the acks said.
    const seqs = submitted.map((a) => (a.ok ? a.data.seq : -1)).sort((x, y) => x - y);
    const stored = await db.query<{ n: string }>('SELECT count(*) AS n FROM input WHERE meeting_id = $1', [
      plenary.meetingId,
    ]);
    expect(Number(stored.rows[0]?.n)).toBe(TABLETS * SUBMITS_PER_TABLET);
    const log = await db.query<{ seq: string }>(`SELECT seq FROM event_log WHERE stream = $1 ORDER BY seq`, [
      `meeting:${plenary.meetingId}`,
    ]);
    const all = log.rows.map((r) => Number(r.seq));
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const s of seqs) expect(all).toContain(s);
    const accepted = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM task_item WHERE id = ANY($1::uuid[]) AND state = 'accepted'`,
      [items],
    );
    expect(Number(accepted.rows[0]?.n)).toBe(MOVES);
    // Every wait inside is bounded and asserted; this is only Jest's limit for the whole run.
  }, 180_000);
});
