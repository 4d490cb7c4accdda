/* Per-meeting authorization on every /live event, and token expiry on open sockets. */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { TokenService } from '@liexi/platform';
import type { Plenary } from '../bench/seed-plenary';
import { Api, collectEvents, connectLive, emitAck, startTestApp, type TestApp, waitFor } from './support/app';
import { ackOk, plenary } from './support/live';

describe('live authorization', () => {
  let t: TestApp;
  let db: Client;
  let a: Plenary;
  let b: Plenary;
  let chair: Socket;
  const sockets: Socket[] = [];
  const connect = async (token: string | undefined): Promise<Socket> => {
    const s = await connectLive(t.baseUrl, token);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    a = await plenary(t.app, t.databaseUrl, 2, { title: '会议甲' });
    b = await plenary(t.app, t.databaseUrl, 2, { title: '会议乙' });
    chair = await connect((await Api.login(t.baseUrl, 'secretary')).token);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await db.end();
    await t.close();
  });

  it('an attendee of meeting A gets nothing of meeting B and can do nothing in it', async () => {
    const ofA = await connect(a.attendees[0].token);
    const ofB = await connect(b.attendees[0].token);
    const seenA = collectEvents(ofA);
    await ackOk(ofA, 'meeting.join', { meetingId: a.meetingId });
    await ackOk(ofB, 'meeting.join', { meetingId: b.meetingId });

    // Things happen in B.
    const { inputId } = await ackOk(ofB, 'input.submit', {
      meetingId: b.meetingId,
      clientKey: randomUUID(),
      kind: 'problem',
      text: '乙会议的问题',
    });
    const { pollId } = await ackOk(chair, 'poll.open', {
      meetingId: b.meetingId,
      kind: 'named',
      question: '乙会议表决',
      choices: ['yes', 'no'],
    });
    await ackOk(ofB, 'speaker.request', { meetingId: b.meetingId, clientKey: randomUUID() });

    const forbidden = { ok: false, error: { code: 'FORBIDDEN' } };
    expect(await emitAck(ofA, 'meeting.join', { meetingId: b.meetingId })).toMatchObject(forbidden);
    expect(await emitAck(ofA, 'meeting.join', { meetingId: b.meetingId, afterSeq: 0 })).toMatchObject(
      forbidden,
    );
    expect(
      await emitAck(ofA, 'input.submit', {
        meetingId: b.meetingId,
        clientKey: randomUUID(),
        kind: 'opinion',
        text: 'x',
      }),
    ).toMatchObject(forbidden);
    expect(await emitAck(ofA, 'input.cosign', { inputId, clientKey: randomUUID() })).toMatchObject(forbidden);
    expect(await emitAck(ofA, 'poll.vote', { pollId, choice: 'yes', clientKey: randomUUID() })).toMatchObject(
      forbidden,
    );
    expect(
      await emitAck(ofA, 'speaker.request', { meetingId: b.meetingId, clientKey: randomUUID() }),
    ).toMatchObject(forbidden);
    expect(await emitAck(ofA, 'speaker.withdraw', { meetingId: b.meetingId })).toMatchObject(forbidden);
    // Chair-only events are refused by role.
    for (const [event, body] of [
      ['agenda.advance', { meetingId: b.meetingId }],
      ['speaker.next', { meetingId: b.meetingId }],
      ['poll.close', { pollId }],
      ['input.moderate', { inputId, action: 'hide', reason: 'x' }],
      ['meeting.adjourn', { meetingId: b.meetingId }],
      ['poll.open', { meetingId: b.meetingId, kind: 'named', question: 'q', choices: ['1', '2'] }],
    ] as const)
      expect(await emitAck(ofA, event, body)).toMatchObject(forbidden);

    // Something in A arrives; nothing of B ever did.
    const mark = await ackOk(ofA, 'input.submit', {
      meetingId: a.meetingId,
      clientKey: randomUUID(),
      kind: 'opinion',
      text: '甲会议',
    });
    await waitFor(() => seenA.some((e) => e.seq === mark.seq));
    const batches: { meetingId: string }[] = [];
    ofA.on('meeting.events', (batch: { meetingId: string }) => batches.push(batch));
    await ackOk(chair, 'poll.close', { pollId });
    await ackOk(ofA, 'input.submit', {
      meetingId: a.meetingId,
      clientKey: randomUUID(),
      kind: 'opinion',
      text: '再来',
    });
    await waitFor(() => batches.length > 0);
    expect(batches.every((x) => x.meetingId === a.meetingId)).toBe(true);
    expect(JSON.stringify(seenA)).not.toContain(b.meetingId);
    expect(JSON.stringify(seenA)).not.toContain(inputId);
    expect(await db.query('SELECT 1 FROM input_cosign WHERE input_id = $1', [inputId])).toMatchObject({
      rowCount: 0,
    });
  });

  it('stops pushing a meeting to a socket that left it', async () => {
    const s = await connect(a.attendees[1].token);
    const seen = collectEvents(s);
    await ackOk(s, 'meeting.join', { meetingId: a.meetingId });
    await ackOk(s, 'meeting.leave', { meetingId: a.meetingId });
    const writer = await connect(a.attendees[0].token);
    const probe = collectEvents(writer);
    await ackOk(writer, 'meeting.join', { meetingId: a.meetingId });
    const r = await ackOk(writer, 'input.submit', {
      meetingId: a.meetingId,
      clientKey: randomUUID(),
      kind: 'opinion',
      text: '离开之后',
    });
    await waitFor(() => probe.some((e) => e.seq === r.seq));
    expect(seen.some((e) => e.seq === r.seq)).toBe(false);
  });

  it('drops an open socket when its token expires', async () => {
    const attendee = a.attendees[0];
    const shortLived = t.app.get(TokenService).sign(
      {
        accountId: attendee.accountId,
        username: attendee.username,
        role: 'attendee',
        unitId: null,
        participantId: attendee.participantId,
      },
      2,
    ).accessToken;
    const s = await connect(shortLived);
    await ackOk(s, 'meeting.join', { meetingId: a.meetingId });
    const reason = await new Promise<string>((resolve) => s.once('disconnect', (r) => resolve(r)));
    expect(reason).toBe('io server disconnect');
    await expect(connectLive(t.baseUrl, shortLived)).rejects.toThrow('UNAUTHORIZED');
  });
});

describe('live token expiry with a short JWT_TTL_SECONDS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ JWT_TTL_SECONDS: '10' }); // the shortest the config accepts
  });
  afterAll(async () => {
    await t.close();
  });

  it('closes the socket of a logged-in attendee once the token from /api/auth/login runs out', async () => {
    const deputy = await Api.login(t.baseUrl, 'deputy1');
    const meetings = await deputy.all<{ id: string }>('/api/meetings');
    const s = await connectLive(t.baseUrl, deputy.token);
    const dropped = new Promise<string>((resolve) => s.once('disconnect', (r) => resolve(r)));
    await ackOk(s, 'meeting.join', { meetingId: meetings[0].id });
    expect(await dropped).toBe('io server disconnect');
    expect(s.connected).toBe(false);
    await expect(connectLive(t.baseUrl, deputy.token)).rejects.toThrow('UNAUTHORIZED');
  }, 30_000);
});
