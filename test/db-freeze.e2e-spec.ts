/* PostgreSQL hangs (frozen behind a proxy, as with SIGSTOP): every submit is answered within
 * bounded time with the retryable UNAVAILABLE, the readiness probe says 503 {database:"down"}
 * within 1 s while liveness stays 200; once the database is back the same submits, retried
 * with the same clientKeys, are stored exactly once, and nothing acked is lost. */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { Api, connectLive, emitAck, startTestApp, type TestApp } from './support/app';
import { demoMeetingId } from './support/demo-meeting';
import { FreezableProxy } from './support/tcp-proxy';

const STATEMENT_MS = 1000;
const ACQUIRE_MS = 1000;
/** Client read timeout (statement + 2 s grace) + a pool wait, + slack for a busy machine. */
const BOUND_MS = STATEMENT_MS + 2000 + ACQUIRE_MS + 4000;

describe('a frozen database', () => {
  let t: TestApp;
  let proxy: FreezableProxy;
  let db: Client;
  let tablet: Socket;
  let meetingId: string;
  let secretary: Api;

  beforeAll(async () => {
    t = await startTestApp(
      {
        JOBS_ENABLED: 'false',
        LIVE_RATE_LIMIT: '100000',
        DB_POOL_SIZE: '6',
        DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_MS),
        DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_MS),
      },
      async (url) => {
        const u = new URL(url);
        proxy = new FreezableProxy(u.hostname, Number(u.port));
        return proxy.route(url, await proxy.start());
      },
    );
    db = new Client({ connectionString: t.databaseUrl }); // straight to PostgreSQL, not frozen
    await db.connect();
    secretary = await Api.login(t.baseUrl, 'secretary');
    meetingId = await demoMeetingId(secretary);
    tablet = await connectLive(t.baseUrl, (await Api.login(t.baseUrl, 'member1')).token);
  });
  afterAll(async () => {
    proxy?.thaw();
    tablet?.close();
    await db?.end();
    await t?.close();
    await proxy?.stop();
  });

  const submit = (clientKey: string, text: string) =>
    emitAck<{ inputId: string; seq: number }>(
      tablet,
      'input.submit',
      { meetingId, clientKey, kind: 'problem', text },
      30_000,
    );

  it('answers within bounded time while frozen, and stores each retried input once after', async () => {
    const before = await submit(randomUUID(), '冻结前');
    expect(before.ok).toBe(true);

    proxy.freeze();
    const keys = Array.from({ length: 40 }, () => randomUUID());
    const started = Date.now();
    const answers = await Promise.all(
      keys.map(async (k, i) => ({ ack: await submit(k, `冻结中 ${i}`), ms: Date.now() - started })),
    );
    const health = Date.now();
    const ready = await fetch(`${t.baseUrl}/api/health`);
    const readyMs = Date.now() - health;
    const live = await fetch(`${t.baseUrl}/api/health/live`);

    expect(answers.map((a) => (a.ack.ok ? 'ok' : a.ack.error.code))).toEqual(keys.map(() => 'UNAVAILABLE'));
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(BOUND_MS);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', database: 'down' });
    expect(readyMs).toBeLessThan(1000);
    expect(live.status).toBe(200);
    const listed = await fetch(`${t.baseUrl}/api/meetings`, {
      headers: { authorization: `Bearer ${secretary.token}` },
    });
    expect(listed.status).toBe(503);
    expect(listed.headers.get('retry-after')).toBe('2');
    expect(await listed.json()).toMatchObject({ code: 'UNAVAILABLE' });

    proxy.thaw();
    // Back: the tablet retries with the same keys; each input is stored once.
    let retried = await Promise.all(keys.map((k, i) => submit(k, `冻结中 ${i}`)));
    for (let round = 0; round < 5 && retried.some((a) => !a.ok); round++) {
      await new Promise((r) => setTimeout(r, 500));
      retried = await Promise.all(keys.map((k, i) => submit(k, `冻结中 ${i}`)));
    }
    expect(retried.filter((a) => !a.ok)).toEqual([]);
    const again = await Promise.all(keys.map((k, i) => submit(k, `冻结中 ${i}`)));
    expect(again.map((a) => (a.ok ? a.data.inputId : null))).toEqual(
      retried.map((a) => (a.ok ? a.data.inputId : null)),
    );
    const rows = await db.query<{ n: string }>(
      'SELECT count(*) AS n FROM input WHERE meeting_id = $1 AND client_key = ANY($2::text[])',
      [meetingId, keys],
    );
    expect(Number(rows.rows[0]?.n)).toBe(keys.length);
    const ok = await fetch(`${t.baseUrl}/api/health`);
    expect(ok.status).toBe(200);
    // The input acked before the freeze is still there.
    if (!before.ok) throw new Error('unreachable');
    const kept = await db.query('SELECT 1 FROM input WHERE id = $1', [before.data.inputId]);
    expect(kept.rowCount).toBe(1);
  });
});
