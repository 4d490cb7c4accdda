/* Anonymous input: the author's identity never leaves the server. We submit one, let others
 * co-sign it, turn it into a task item, and then scan every output for the author. */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import type { Plenary } from '../bench/seed-plenary';
import { Api, collectEvents, connectLive, startTestApp, type TestApp, waitFor } from './support/app';
import { ackOk, plenary } from './support/live';

describe('anonymous input', () => {
  let t: TestApp;
  let db: Client;
  let room: Plenary;
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
    room = await plenary(t.app, t.databaseUrl, 3);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await db.end();
    await t.close();
  });

  it('keeps the author out of events, snapshots, REST, the ledger, task views and the audit log; co-signs still count', async () => {
    const author = room.attendees[0];
    const secretary = await Api.login(t.baseUrl, 'secretary');
    const [authorTablet, peer, peer2, console_] = await Promise.all([
      connect(author.token),
      connect(room.attendees[1].token),
      connect(room.attendees[2].token),
      connect(secretary.token),
    ]);
    const outputs: unknown[] = [];
    const peerEvents = collectEvents(peer);
    const consoleEvents = collectEvents(console_);
    outputs.push(await ackOk(peer, 'meeting.join', { meetingId: room.meetingId }));
    const consoleJoin = await ackOk<{ seq: number }>(console_, 'meeting.join', { meetingId: room.meetingId });
    outputs.push(consoleJoin);

    const { inputId, seq } = await ackOk(authorTablet, 'input.submit', {
      meetingId: room.meetingId,
      clientKey: randomUUID(),
      kind: 'problem',
      text: '不便署名：某窗口办事需反复跑腿',
      anonymous: true,
    });
    await ackOk(peer, 'input.cosign', { inputId, clientKey: randomUUID() });
    const last = await ackOk<{ seq: number }>(peer2, 'input.cosign', { inputId, clientKey: randomUUID() });
    await waitFor(
      () => peerEvents.some((e) => e.seq === last.seq) && consoleEvents.some((e) => e.seq === last.seq),
    );
    outputs.push(peerEvents, consoleEvents);

    // Snapshots and catch-up, as an attendee and as the secretariat.
    const snap = await ackOk(peer, 'meeting.join', { meetingId: room.meetingId });
    const view = snap.snapshot.inputs.find((i: { inputId: string }) => i.inputId === inputId);
    expect(view).toMatchObject({ anonymous: true, author: null, cosignCount: 2 });
    outputs.push(snap, await ackOk(console_, 'meeting.join', { meetingId: room.meetingId }));
    outputs.push(await ackOk(console_, 'meeting.join', { meetingId: room.meetingId, afterSeq: seq - 1 }));

    // REST: the inputs list, a task item made from it, the task views, the ledger.
    const units = await secretary.all<{ id: string; name: string }>('/api/units');
    const lead = units.find((u) => u.name === '县金融服务中心');
    const task = await secretary.ok<{ id: string }>(
      secretary.post('/api/tasks', {
        problem: '办事需反复跑腿',
        leadUnitId: lead?.id,
        assign: true,
        measure: '推行一窗通办',
        deadline: '2027-06-30',
        closeOutStandard: '群众办事只跑一次',
        taskClass: 'A',
        inputIds: [inputId],
      }),
      201,
    );
    outputs.push(
      await secretary.all(`/api/meetings/${room.meetingId}/inputs`),
      await secretary.all('/api/tasks'),
      await secretary.ok(secretary.get(`/api/tasks/${task.id}`)),
      await secretary.all('/api/ledger'),
      await secretary.all(`/api/ledger?meetingId=${room.meetingId}`),
    );
    const ledger = (
      await secretary.all<{ taskId: string; proposers: string[]; anonymousProposers: number }>('/api/ledger')
    ).find((r) => r.taskId === task.id);
    // The author and the two co-signers of an anonymous input are proposers, all unnamed.
    expect(ledger).toMatchObject({ proposers: [], anonymousProposers: 3 });
    const leader = await Api.login(t.baseUrl, 'leader');
    outputs.push(await leader.ok(leader.get(`/api/tasks/${task.id}`)));

    // The reply passes the approval chain and the anonymous author rates it (unsatisfied, so the
    // rating also reopens the item): none of it may tie the author to the item.
    const [handler, head] = await Promise.all([
      Api.login(t.baseUrl, 'handler'),
      Api.login(t.baseUrl, 'head'),
    ]);
    await handler.ok(handler.post(`/api/tasks/${task.id}/accept`));
    await handler.ok(handler.post(`/api/tasks/${task.id}/reply`, { body: '已推行一窗通办。' }));
    await head.ok(head.post(`/api/tasks/${task.id}/reply/sign`, {}));
    await secretary.ok(secretary.post(`/api/tasks/${task.id}/reply/review`, {}));
    await leader.ok(leader.post(`/api/tasks/${task.id}/reply/approve`, {}));
    await secretary.ok(secretary.post(`/api/tasks/${task.id}/reply/send`, {}));
    const authorApi = new Api(t.baseUrl, author.token);
    const rated = await authorApi.ok<{ state: string }>(
      authorApi.post(`/api/tasks/${task.id}/evaluation`, { rating: 'unsatisfied', comment: '仍需跑两次' }),
    );
    expect(rated.state).toBe('reopened');
    outputs.push(await secretary.ok(secretary.get(`/api/tasks/${task.id}`)));

    // The stored event log and every audit row. Notices to the author's own inbox (the reply
    // arrived, please rate it) are on the stream `inbox:<their account>`, which only their own
    // sockets receive: like the input row, the one other place that knows them, and it is theirs.
    outputs.push(
      (await db.query(`SELECT * FROM event_log WHERE stream <> 'inbox:' || $1::text`, [author.accountId]))
        .rows,
      (await db.query('SELECT * FROM audit_log')).rows,
    );

    const everything = JSON.stringify(outputs);
    expect(everything).toContain(inputId); // we did look at the right things
    expect(everything).toContain('不便署名');
    for (const secret of [author.participantId, author.name, author.accountId, author.username])
      expect(everything).not.toContain(secret);
    // The one place it is kept: the input row, for co-sign, evaluation and rate rules.
    expect(
      (await db.query('SELECT author_participant_id FROM input WHERE id = $1', [inputId])).rows[0],
    ).toEqual({
      author_participant_id: author.participantId,
    });
  });
});
