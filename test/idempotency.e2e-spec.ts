/* Exactly-once input: the same clientKey, sent again — also concurrently — stores one row and
 * acks the same input id and seq. */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { Api, connectLive, emitAck, startTestApp, type TestApp } from './support/app';
import { demoMeetingId } from './support/demo-meeting';

describe('idempotent input', () => {
  let t: TestApp;
  let db: Client;
  let meetingId: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    meetingId = await demoMeetingId(await Api.login(t.baseUrl, 'secretary'));
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await db.end();
    await t.close();
  });

  const rowsWithKey = async (key: string): Promise<number> =>
    Number((await db.query('SELECT count(*) AS n FROM input WHERE client_key = $1', [key])).rows[0].n);

  it('stores one row for the same key sent five times concurrently on five sockets, and acks one id', async () => {
    const citizen = await Api.login(t.baseUrl, 'citizen1');
    const tablets = await Promise.all([1, 2, 3, 4, 5].map(() => connectLive(t.baseUrl, citizen.token)));
    sockets.push(...tablets);
    const clientKey = randomUUID();
    const payload = { meetingId, clientKey, kind: 'suggestion', text: '建议在老旧小区加装电梯。' };
    const acks = await Promise.all(tablets.map((s) => emitAck(s, 'input.submit', payload)));
    expect(acks.every((a) => a.ok)).toBe(true);
    const ids = new Set(acks.map((a) => (a.ok ? (a.data as { inputId: string }).inputId : '')));
    const seqs = new Set(acks.map((a) => (a.ok ? (a.data as { seq: number }).seq : -1)));
    expect(ids.size).toBe(1);
    expect(seqs.size).toBe(1);
    expect(await rowsWithKey(clientKey)).toBe(1);
    const events = await db.query(
      `SELECT count(*) AS n FROM event_log WHERE type = 'input.submitted' AND data->>'inputId' = $1`,
      [[...ids][0]],
    );
    expect(Number(events.rows[0].n)).toBe(1);
  });

  it('returns the first result to a later retry, even with a different text', async () => {
    const deputy = await Api.login(t.baseUrl, 'deputy1');
    const tablet = await connectLive(t.baseUrl, deputy.token);
    sockets.push(tablet);
    const clientKey = randomUUID();
    const first = await emitAck(tablet, 'input.submit', {
      meetingId,
      clientKey,
      kind: 'opinion',
      text: '第一次',
    });
    const retry = await emitAck(tablet, 'input.submit', {
      meetingId,
      clientKey,
      kind: 'opinion',
      text: '重发',
    });
    expect(first.ok && retry.ok).toBe(true);
    expect(retry).toEqual(first);
    expect(await rowsWithKey(clientKey)).toBe(1);
  });

  it('refuses a key already used by someone else with CONFLICT, storing nothing new', async () => {
    const [a, b] = await Promise.all([
      Api.login(t.baseUrl, 'deputy1'),
      Api.login(t.baseUrl, 'entrepreneur1'),
    ]);
    const [sa, sb] = await Promise.all([connectLive(t.baseUrl, a.token), connectLive(t.baseUrl, b.token)]);
    sockets.push(sa, sb);
    const clientKey = randomUUID();
    expect(
      (await emitAck(sa, 'input.submit', { meetingId, clientKey, kind: 'problem', text: '甲' })).ok,
    ).toBe(true);
    const stolen = await emitAck(sb, 'input.submit', { meetingId, clientKey, kind: 'problem', text: '乙' });
    expect(stolen).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await rowsWithKey(clientKey)).toBe(1);
  });
});
