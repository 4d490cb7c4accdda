/* Two api nodes on one database. The live tally of a poll is one sequence written by one elected
 * writer at a time (the poll's advisory lock), so the tablets of both nodes see the same
 * monotonic turnout, each count once. Socket operations reach every node (postgres adapter): a
 * meeting's tablets are counted on both, a deactivated person's sockets are dropped on both. */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@liexi/platform';
import type { Socket } from 'socket.io-client';
import { createApp } from '../apps/api/src/bootstrap';
import { Api, collectEvents, connectLive, waitFor } from './support/app';
import { createTestDatabase } from './support/database';
import { ackOk, plenary } from './support/live';

describe('across nodes', () => {
  let db: { url: string; drop(): Promise<void> };
  const nodes: INestApplication[] = [];
  const bases: string[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'x'.repeat(32),
      JOBS_ENABLED: 'false',
      PASSWORD_SCRYPT_LOG_N: '14',
      LIVE_RATE_LIMIT: '1000',
    });
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

  it('tablets on both nodes see one strictly rising turnout, ending at every vote', async () => {
    const room = await plenary(nodes[0], db.url, 60);
    const connect = async (base: string, token: string): Promise<Socket> => {
      const s = await connectLive(base, token);
      sockets.push(s);
      await ackOk(s, 'meeting.join', { meetingId: room.meetingId });
      return s;
    };
    const chair = await connect(bases[0], (await Api.login(bases[0], 'secretary')).token ?? '');
    const tablets = await Promise.all(room.attendees.map((a, i) => connect(bases[i % 2] ?? '', a.token)));
    const seenOn = [collectEvents(tablets[0]), collectEvents(tablets[1])];
    const { pollId } = await ackOk(chair, 'poll.open', {
      meetingId: room.meetingId,
      kind: 'secret',
      question: '是否同意该方案',
      choices: ['agree', 'disagree'],
    });
    // Three waves, each spread over both nodes.
    for (let wave = 0; wave < 3; wave++)
      await Promise.all(
        tablets
          .slice(wave * 20, wave * 20 + 20)
          .map((s, i) =>
            ackOk(s, 'poll.vote', { pollId, choice: i % 2 ? 'agree' : 'disagree', clientKey: randomUUID() }),
          ),
      );
    const tallies = (seen: { type: string; seq: number; data: any }[]): { seq: number; voted: number }[] =>
      seen
        .filter((e) => e.type === 'poll.tally' && e.data.pollId === pollId)
        .map((e) => ({ seq: e.seq, voted: e.data.voted }));
    for (const seen of seenOn) await waitFor(() => tallies(seen).at(-1)?.voted === 60, 10_000);
    // A second writer's copy of the last count would come within one more interval.
    await ackOk(chair, 'poll.close', { pollId });
    for (const seen of seenOn) await waitFor(() => seen.some((e) => e.type === 'poll.closed'));

    const [a, b] = seenOn.map(tallies) as [
      { seq: number; voted: number }[],
      { seq: number; voted: number }[],
    ];
    expect(a).toEqual(b);
    for (let i = 1; i < a.length; i++) {
      expect(a[i]?.seq).toBeGreaterThan(a[i - 1]?.seq ?? 0);
      expect(a[i]?.voted).toBeGreaterThan(a[i - 1]?.voted ?? 0);
    }
    expect(a.at(-1)?.voted).toBe(60);
  });

  it('counts a meeting’s tablets on every node, and drops a deactivated person’s sockets on every node', async () => {
    const room = await plenary(nodes[0], db.url, 6);
    const tablets: Socket[] = [];
    for (const [i, a] of room.attendees.entries()) {
      const s = await connectLive(bases[i % 2] ?? '', a.token);
      sockets.push(s);
      await ackOk(s, 'meeting.join', { meetingId: room.meetingId });
      tablets.push(s);
    }
    const onA = await Api.login(bases[0] ?? '', 'secretary');
    const onB = await Api.login(bases[1] ?? '', 'secretary');
    for (const api of [onA, onB])
      expect(await api.ok(api.get(`/api/meetings/${room.meetingId}/presence`))).toEqual({
        meetingId: room.meetingId,
        sockets: 6,
        attendees: 6,
      });

    // The attendee connected to node B is deactivated through node A.
    const leaving = tablets[1];
    const gone = new Promise<string>((resolve) => leaving.once('disconnect', resolve));
    await onA.ok(onA.post(`/api/participants/${room.attendees[1]?.participantId}/deactivate`));
    expect(await gone).toBe('io server disconnect');
    await waitFor(() => tablets.filter((s) => s.connected).length === 5);
    expect(await onA.ok(onA.get(`/api/meetings/${room.meetingId}/presence`))).toMatchObject({ attendees: 5 });
  });
});
