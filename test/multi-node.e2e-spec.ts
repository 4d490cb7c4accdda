/* Two api nodes on one database: an event committed on node A reaches a socket on node B, in
 * order, once; and a tablet that reconnects to the other node resumes with afterSeq. */
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@liexi/platform';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { createApp } from '../apps/api/src/bootstrap';
import { Api, collectEvents, connectLive, emitAck, waitFor } from './support/app';
import { createTestDatabase } from './support/database';
import { demoMeetingId } from './support/demo-meeting';

describe('several api nodes', () => {
  let db: { url: string; drop(): Promise<void> };
  const nodes: INestApplication[] = [];
  const bases: string[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), JOBS_ENABLED: 'false' });
    for (let i = 0; i < 2; i++) {
      const app = await createApp(config, db.url, { logger: false });
      await app.listen(0, '127.0.0.1');
      nodes.push(app);
      bases.push(`http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`);
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    for (const n of nodes) await n.close();
    await db.drop();
  });

  it('pushes what node A commits to the sockets of node B, in seq order and once each', async () => {
    const [a, b] = bases as [string, string];
    const secretaryOnB = await Api.login(b, 'secretary');
    const meetingId = await demoMeetingId(secretaryOnB);
    const consoleOnB = await connectLive(b, secretaryOnB.token);
    const tabletOnA = await connectLive(a, (await Api.login(a, 'member1')).token);
    sockets.push(consoleOnB, tabletOnA);
    const pushed = collectEvents(consoleOnB);
    const joined = await emitAck<{ seq: number }>(consoleOnB, 'meeting.join', { meetingId });
    if (!joined.ok) throw new Error(JSON.stringify(joined.error));

    const acks: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ack = await emitAck<{ seq: number }>(tabletOnA, 'input.submit', {
        meetingId,
        clientKey: randomUUID(),
        kind: 'opinion',
        text: `第${i + 1}条`,
      });
      if (!ack.ok) throw new Error(JSON.stringify(ack.error));
      acks.push(ack.data.seq);
    }
    await waitFor(() => pushed.filter((e) => e.type === 'input.submitted').length >= 5);
    await new Promise((r) => setTimeout(r, 200)); // any duplicate would have arrived by now
    const seqs = pushed.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(pushed.filter((e) => e.type === 'input.submitted').map((e) => e.seq)).toEqual(acks);
    expect(Math.min(...seqs)).toBe(joined.data.seq + 1);
  });

  it('resumes on node B with afterSeq after missing events committed on node A', async () => {
    const [a, b] = bases as [string, string];
    const member = await Api.login(a, 'deputy1');
    const meetingId = await demoMeetingId(member);
    const tablet = await connectLive(a, member.token);
    sockets.push(tablet);
    const joined = await emitAck<{ seq: number }>(tablet, 'meeting.join', { meetingId });
    if (!joined.ok) throw new Error(JSON.stringify(joined.error));
    tablet.close(); // the Wi-Fi drops
    const writer = await connectLive(a, (await Api.login(a, 'citizen1')).token);
    sockets.push(writer);
    for (let i = 0; i < 3; i++) {
      const ack = await emitAck(writer, 'input.submit', {
        meetingId,
        clientKey: randomUUID(),
        kind: 'problem',
        text: `离线期间${i}`,
      });
      expect(ack.ok).toBe(true);
    }
    const back = await connectLive(b, member.token); // lands on the other node
    sockets.push(back);
    const resumed = await emitAck<{ seq: number; events: { seq: number; type: string }[] }>(
      back,
      'meeting.join',
      {
        meetingId,
        afterSeq: joined.data.seq,
      },
    );
    if (!resumed.ok) throw new Error(JSON.stringify(resumed.error));
    expect(resumed.data.events.map((e) => e.seq)).toEqual([1, 2, 3].map((k) => joined.data.seq + k));
    expect(resumed.data.events.every((e) => e.type === 'input.submitted')).toBe(true);
  });

  it("catches up after its listener reconnects: the stream's last event still reaches node A's sockets", async () => {
    const [a, b] = bases as [string, string];
    const secretaryOnB = await Api.login(b, 'secretary');
    const meetingId = await demoMeetingId(secretaryOnB);
    const consoleOnA = await connectLive(a, (await Api.login(a, 'leader')).token);
    sockets.push(consoleOnA);
    const pushed = collectEvents(consoleOnA);
    const joined = await emitAck<{ seq: number }>(consoleOnA, 'meeting.join', { meetingId });
    if (!joined.ok) throw new Error(JSON.stringify(joined.error));

    // Both nodes lose their NOTIFY connection; node B adjourns before they are back (they
    // reconnect after 1 s), and nothing is committed after that: the adjourn is the last event.
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'liexi-event-fanout' AND datname = current_database()`,
      );
      expect(killed.rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    const adjourned = await secretaryOnB.post(`/api/meetings/${meetingId}/adjourn`);
    expect(adjourned.status).toBe(200);

    await waitFor(() => pushed.some((e) => e.type === 'meeting.adjourned'), 10_000);
    const seqs = pushed.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => joined.data.seq + 1 + i));
  });
});
