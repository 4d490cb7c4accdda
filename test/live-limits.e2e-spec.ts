/* Limits on /live: a per-user rate limit (others unaffected) and the maximum frame size (an
 * oversize frame closes that connection; nothing of it is stored; other clients carry on). */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { MAX_FRAME_BYTES, MAX_INPUT_TEXT } from '@liexi/contracts';
import type { Plenary } from '../bench/seed-plenary';
import { connectLive, emitAck, startTestApp, type TestApp } from './support/app';
import { ackOk, plenary } from './support/live';

describe('live limits', () => {
  let t: TestApp;
  let db: Client;
  let room: Plenary;
  const sockets: Socket[] = [];
  const connect = async (i: number): Promise<Socket> => {
    const s = await connectLive(t.baseUrl, room.attendees[i].token);
    sockets.push(s);
    return s;
  };
  const inputs = async (): Promise<number> =>
    Number(
      (await db.query('SELECT count(*) AS n FROM input WHERE meeting_id = $1', [room.meetingId])).rows[0].n,
    );
  const payload = (text = '建议') => ({
    meetingId: room.meetingId,
    clientKey: randomUUID(),
    kind: 'suggestion',
    text,
  });

  beforeAll(async () => {
    t = await startTestApp({ LIVE_RATE_LIMIT: '5' });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    room = await plenary(t.app, t.databaseUrl, 4);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await db.end();
    await t.close();
  });

  it('answers RATE_LIMITED to the user over the limit, on every socket of theirs; others are unaffected', async () => {
    const [a1, a2, b] = [await connect(0), await connect(0), await connect(1)];
    const before = await inputs();
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => emitAck(i % 2 === 0 ? a1 : a2, 'input.submit', payload())),
    );
    const accepted = burst.filter((r) => r.ok).length;
    const limited = burst.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED').length;
    expect(accepted + limited).toBe(12);
    expect(accepted).toBeGreaterThanOrEqual(5);
    expect(accepted).toBeLessThanOrEqual(6); // 5 in the bucket, at most one refilled meanwhile
    expect(await inputs()).toBe(before + accepted);
    expect(a1.connected && a2.connected).toBe(true);
    // Another user, at the same moment, is not limited.
    const others = await Promise.all(Array.from({ length: 5 }, () => emitAck(b, 'input.submit', payload())));
    expect(others.every((r) => r.ok)).toBe(true);
  });

  it('closes the connection that sends a frame over the limit, stores nothing, and leaves other clients alone', async () => {
    const [big, bystander] = [await connect(2), await connect(3)];
    const before = await inputs();
    const dropped = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
    let acked = false;
    big.emit('input.submit', payload('长'.repeat(MAX_FRAME_BYTES)), () => {
      acked = true;
    });
    expect(await dropped).toBe('transport close');
    expect(acked).toBe(false);
    expect(await inputs()).toBe(before);
    expect(bystander.connected).toBe(true);
    const ok = await ackOk(bystander, 'input.submit', payload());
    expect(ok.inputId).toEqual(expect.any(String));
    // The tablet reconnects and goes on; text over MAX_INPUT_TEXT (inside a legal frame) is VALIDATION.
    const again = await connect(2);
    const tooLong = await emitAck(again, 'input.submit', payload('字'.repeat(MAX_INPUT_TEXT + 1)));
    expect(tooLong).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { text: expect.any(Array) } },
    });
    expect(again.connected).toBe(true);
    expect(await inputs()).toBe(before + 1);
  });
});
