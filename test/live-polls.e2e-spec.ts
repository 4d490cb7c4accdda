/* Polls over /live: one vote per present voter, secret ballots that cannot be tied to voters
 * after close, satisfaction votes on a unit, coalesced tallies with an exact final count. */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import type { Plenary } from '../bench/seed-plenary';
import { Api, collectEvents, connectLive, emitAck, startTestApp, type TestApp, waitFor } from './support/app';
import { ackOk, plenary } from './support/live';

describe('live polls', () => {
  let t: TestApp;
  let db: Client;
  let room: Plenary;
  let chair: Socket;
  const sockets: Socket[] = [];
  const connect = async (token: string | undefined): Promise<Socket> => {
    const s = await connectLive(t.baseUrl, token);
    sockets.push(s);
    return s;
  };
  const rows = async (sql: string, params: unknown[] = []): Promise<any[]> =>
    (await db.query(sql, params)).rows;

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    room = await plenary(t.app, t.databaseUrl, 200);
    chair = await connect((await Api.login(t.baseUrl, 'secretary')).token);
    await ackOk(chair, 'meeting.join', { meetingId: room.meetingId });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await db.end();
    await t.close();
  });

  it('secret poll: tallies only, and after close nothing in the database ties a ballot to a voter', async () => {
    const voters = await Promise.all(room.attendees.slice(0, 12).map((a) => connect(a.token)));
    const { pollId } = await ackOk(chair, 'poll.open', {
      meetingId: room.meetingId,
      kind: 'secret',
      question: '是否同意该方案',
      choices: ['agree', 'disagree', 'abstain'],
    });
    const choices = voters.map((_, i) => (i % 3 === 0 ? 'disagree' : i % 5 === 0 ? 'abstain' : 'agree'));
    const receipts = await Promise.all(
      voters.map((s, i) =>
        ackOk<{ receipt: string }>(s, 'poll.vote', { pollId, choice: choices[i], clientKey: randomUUID() }),
      ),
    );
    expect(new Set(receipts.map((r) => r.receipt)).size).toBe(12);
    // While open, the voter row holds the receipt (for retries); it never holds the choice.
    expect(
      (
        await rows('SELECT count(*) AS n FROM poll_voter WHERE poll_id = $1 AND choice IS NOT NULL', [pollId])
      )[0].n,
    ).toBe('0');

    const closed = await ackOk(chair, 'poll.close', { pollId });
    const expected = { agree: 0, disagree: 0, abstain: 0 } as Record<string, number>;
    for (const c of choices) expected[c] += 1;
    expect(closed.counts).toEqual(expected);
    expect(closed.voted).toBe(12);
    expect(closed.entitled).toBe(200);

    // The voter table: who voted, nothing else.
    const voterRows = await rows('SELECT * FROM poll_voter WHERE poll_id = $1', [pollId]);
    expect(voterRows).toHaveLength(12);
    for (const r of voterRows) expect([r.client_key, r.receipt, r.choice]).toEqual([null, null, null]);
    expect(Object.keys(voterRows[0]).sort()).toEqual([
      'choice',
      'client_key',
      'participant_id',
      'poll_id',
      'receipt',
    ]);
    // The ballot table: no voter column, no time; the receipts still verify the ballots.
    const ballots = await rows('SELECT * FROM poll_ballot WHERE poll_id = $1', [pollId]);
    expect(Object.keys(ballots[0]).sort()).toEqual(['choice', 'id', 'poll_id', 'receipt']);
    expect(ballots.map((b) => b.receipt).sort()).toEqual(receipts.map((r) => r.receipt).sort());
    // No receipt of a ballot appears anywhere a voter does.
    const leaks = await rows(
      `SELECT count(*) AS n FROM poll_voter v JOIN poll_ballot b ON b.receipt = v.receipt OR b.receipt = v.client_key
       WHERE v.poll_id = $1`,
      [pollId],
    );
    expect(leaks[0].n).toBe('0');
    // Nor do the system columns: all rows were rewritten by the closing transaction.
    const xmins = await rows(
      `SELECT DISTINCT xmin::text AS x FROM poll_ballot WHERE poll_id = $1
       UNION SELECT DISTINCT xmin::text FROM poll_voter WHERE poll_id = $1`,
      [pollId],
    );
    expect(xmins).toHaveLength(1);
    // The event log and the audit log carry tallies, never a receipt or a voter of this poll.
    const logs = JSON.stringify([
      ...(await rows(`SELECT data FROM event_log WHERE data->>'pollId' = $1`, [pollId])),
      ...(await rows(`SELECT after FROM audit_log WHERE entity_id = $1 OR after::text LIKE $2`, [
        pollId,
        `%${pollId}%`,
      ])),
    ]);
    for (const r of receipts) expect(logs).not.toContain(r.receipt);
    for (const a of room.attendees.slice(0, 12)) expect(logs).not.toContain(a.participantId);
    // A retry after close cannot be answered from a link that no longer exists.
    expect(
      await emitAck(voters[0], 'poll.vote', { pollId, choice: 'agree', clientKey: randomUUID() }),
    ).toMatchObject({
      ok: false,
      error: { code: 'SESSION_CLOSED' },
    });
  });

  it('satisfaction vote on a unit: fixed choices 满意/基本满意/不满意, counts per choice', async () => {
    const secretary = await Api.login(t.baseUrl, 'secretary');
    const units = await secretary.all<{ id: string; name: string }>('/api/units');
    const unit = units[0];
    const { pollId } = await ackOk(chair, 'poll.open', {
      meetingId: room.meetingId,
      kind: 'satisfaction',
      question: `对${unit.name}优化营商环境工作的满意度`,
      targetUnitId: unit.id,
      choices: ['ignored', 'by-server'],
    });
    const opened = (
      await rows(`SELECT data FROM event_log WHERE type = 'poll.opened' AND data->>'pollId' = $1`, [pollId])
    )[0].data;
    expect(opened).toMatchObject({
      kind: 'satisfaction',
      targetUnitId: unit.id,
      choices: ['satisfied', 'basically_satisfied', 'unsatisfied'],
      voted: 0,
      entitled: 200,
    });
    // As in seed 004: 2 unsatisfied among the votes.
    const voters = await Promise.all(room.attendees.slice(20, 30).map((a) => connect(a.token)));
    const choices = ['unsatisfied', 'unsatisfied', 'basically_satisfied', ...Array(7).fill('satisfied')];
    await Promise.all(
      voters.map((s, i) => ackOk(s, 'poll.vote', { pollId, choice: choices[i], clientKey: randomUUID() })),
    );
    expect(
      await emitAck(voters[0], 'poll.vote', { pollId, choice: 'meh', clientKey: randomUUID() }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { choice: expect.any(Array) } },
    });
    const snap = await ackOk(voters[1], 'meeting.join', { meetingId: room.meetingId });
    expect(snap.snapshot.openPolls.find((p: { pollId: string }) => p.pollId === pollId)).toMatchObject({
      counts: { satisfied: 7, basically_satisfied: 1, unsatisfied: 2 },
      voted: 10,
      entitled: 200,
    });
    const closed = await ackOk(chair, 'poll.close', { pollId });
    expect(closed.counts).toEqual({ satisfied: 7, basically_satisfied: 1, unsatisfied: 2 });
    expect(
      (
        await rows('SELECT count(*) AS n FROM poll_voter WHERE poll_id = $1 AND receipt IS NOT NULL', [
          pollId,
        ])
      )[0].n,
    ).toBe('0');
  });

  it('named poll keeps who voted what; only checked-in attendees of this meeting vote', async () => {
    const { pollId } = await ackOk(chair, 'poll.open', {
      meetingId: room.meetingId,
      kind: 'named',
      question: '是否列入下次会议议程',
      choices: ['yes', 'no'],
    });
    const [a, b] = await Promise.all(room.attendees.slice(40, 42).map((x) => connect(x.token)));
    await ackOk(a, 'poll.vote', { pollId, choice: 'yes', clientKey: randomUUID() });
    await ackOk(b, 'poll.vote', { pollId, choice: 'no', clientKey: randomUUID() });
    // A second vote with the same choice answers the first receipt; a different one is a CONFLICT.
    const again = await ackOk(a, 'poll.vote', { pollId, choice: 'yes', clientKey: randomUUID() });
    expect(again.receipt).toEqual(
      (
        await rows('SELECT receipt FROM poll_voter WHERE poll_id = $1 AND participant_id = $2', [
          pollId,
          room.attendees[40].participantId,
        ])
      )[0].receipt,
    );
    // Not checked in: demo attendee of another meeting, and a staff account.
    const deputy = await connect((await Api.login(t.baseUrl, 'deputy1')).token);
    expect(
      await emitAck(deputy, 'poll.vote', { pollId, choice: 'yes', clientKey: randomUUID() }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await emitAck(chair, 'poll.vote', { pollId, choice: 'yes', clientKey: randomUUID() }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await ackOk(chair, 'poll.close', { pollId });
    const named = await rows(
      'SELECT participant_id, choice FROM poll_voter WHERE poll_id = $1 ORDER BY choice',
      [pollId],
    );
    expect(named).toEqual([
      { participant_id: room.attendees[41].participantId, choice: 'no' },
      { participant_id: room.attendees[40].participantId, choice: 'yes' },
    ]);
    expect(await emitAck(b, 'poll.vote', { pollId, choice: 'yes', clientKey: randomUUID() })).toMatchObject({
      ok: false,
      error: { code: 'SESSION_CLOSED' },
    });
  });

  it('coalesces tallies: 200 votes give far fewer poll.tally events; the final tally is exact', async () => {
    const listener = await connect(room.attendees[199].token);
    const seen = collectEvents(listener);
    await ackOk(listener, 'meeting.join', { meetingId: room.meetingId });
    const { pollId } = await ackOk(chair, 'poll.open', {
      meetingId: room.meetingId,
      kind: 'secret',
      question: '票决被评议单位',
      choices: ['A', 'B'],
    });
    const tablets = await Promise.all(room.attendees.slice(0, 200).map((a) => connect(a.token)));
    await Promise.all(
      tablets.map((s, i) =>
        ackOk(s, 'poll.vote', { pollId, choice: i % 4 === 0 ? 'B' : 'A', clientKey: randomUUID() }),
      ),
    );
    // Wait for the last coalesced tally to show all votes, then close.
    await waitFor(
      () => seen.some((e) => e.type === 'poll.tally' && e.data.pollId === pollId && e.data.voted === 200),
      10_000,
    );
    const closed = await ackOk(chair, 'poll.close', { pollId });
    await waitFor(() => seen.some((e) => e.type === 'poll.closed' && e.data.pollId === pollId));
    const tallies = seen.filter((e) => e.type === 'poll.tally' && e.data.pollId === pollId);
    expect(tallies.length).toBeGreaterThanOrEqual(1);
    expect(tallies.length).toBeLessThan(20);
    const votedSeries = tallies.map((e) => e.data.voted as number);
    expect([...votedSeries].sort((x, y) => x - y)).toEqual(votedSeries);
    expect(closed).toMatchObject({ counts: { A: 150, B: 50 }, voted: 200, entitled: 200 });
    const final = seen.find((e) => e.type === 'poll.closed' && e.data.pollId === pollId)!;
    expect(final.data.counts).toEqual({ A: 150, B: 50 });
    // Seqs stay gap-free across the coalesced events.
    const seqs = seen.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0] + i));
  });
});
