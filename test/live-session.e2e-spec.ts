/* The live session over /live: co-signing, speakers, chair controls, exactly-once retries and
 * gap-free catch-up after a reconnect — with real socket.io clients on real PostgreSQL. */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { Api, collectEvents, connectLive, emitAck, startTestApp, type TestApp, waitFor } from './support/app';
import { ackOk, plenary } from './support/live';
import type { Plenary } from '../bench/seed-plenary';

describe('live session', () => {
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
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await db.query(sql, params)).rows[0].n);

  beforeAll(async () => {
    // The rate limit has its own test (live-limits); here 100 events come from three people.
    t = await startTestApp({ LIVE_RATE_LIMIT: '10000' });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    room = await plenary(t.app, t.databaseUrl, 6, { agendaItems: 3 });
    chair = await connect((await Api.login(t.baseUrl, 'secretary')).token);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await db.end();
    await t.close();
  });

  const tablet = (i: number): Promise<Socket> => connect(room.attendees[i].token);
  const submit = (
    s: Socket,
    extra: Record<string, unknown> = {},
  ): Promise<{ inputId: string; seq: number }> =>
    ackOk(s, 'input.submit', {
      meetingId: room.meetingId,
      clientKey: randomUUID(),
      kind: 'problem',
      text: '企业融资缺少抵押物',
      ...extra,
    });

  describe('co-signing', () => {
    it('counts each co-signer once; retries (same key, or a new key) return the first seq and store one row', async () => {
      const [author, a, b] = await Promise.all([tablet(0), tablet(1), tablet(2)]);
      const { inputId } = await submit(author);
      const key = randomUUID();
      const first = await ackOk<{ seq: number }>(a, 'input.cosign', { inputId, clientKey: key });
      const [again, concurrent] = await Promise.all([
        ackOk<{ seq: number }>(a, 'input.cosign', { inputId, clientKey: key }),
        ackOk<{ seq: number }>(a, 'input.cosign', { inputId, clientKey: randomUUID() }),
      ]);
      expect(again).toEqual(first);
      expect(concurrent).toEqual(first);
      await ackOk(b, 'input.cosign', { inputId, clientKey: randomUUID() });
      expect(await count('SELECT count(*) AS n FROM input_cosign WHERE input_id = $1', [inputId])).toBe(2);
      expect(await count('SELECT count(*) AS n FROM input_cosign WHERE client_key = $1', [key])).toBe(1);
      const cosigned = await db.query(
        `SELECT seq, data FROM event_log WHERE type = 'input.cosigned' AND data->>'inputId' = $1 ORDER BY seq`,
        [inputId],
      );
      expect(cosigned.rows.map((r) => r.data.cosignCount)).toEqual([1, 2]);
      expect(Number(cosigned.rows[0].seq)).toBe(first.seq);

      const joined = await ackOk(author, 'meeting.join', { meetingId: room.meetingId });
      expect(joined.snapshot.inputs.find((i: { inputId: string }) => i.inputId === inputId).cosignCount).toBe(
        2,
      );
    });

    it('refuses the author co-signing their own input, and a key reused for another input', async () => {
      const [author, other] = await Promise.all([tablet(3), tablet(4)]);
      const { inputId } = await submit(author);
      expect(await emitAck(author, 'input.cosign', { inputId, clientKey: randomUUID() })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      const key = randomUUID();
      await ackOk(other, 'input.cosign', { inputId, clientKey: key });
      const { inputId: second } = await submit(author);
      expect(await emitAck(other, 'input.cosign', { inputId: second, clientKey: key })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT' },
      });
      expect(await count('SELECT count(*) AS n FROM input_cosign WHERE input_id = $1', [second])).toBe(0);
    });
  });

  describe('speakers queue', () => {
    it('queues requests once, gives the floor in order, and lets people withdraw', async () => {
      const [a, b, c] = await Promise.all([tablet(0), tablet(1), tablet(2)]);
      const seen = collectEvents(chair);
      await ackOk(chair, 'meeting.join', { meetingId: room.meetingId });
      const key = randomUUID();
      const first = await ackOk(a, 'speaker.request', { meetingId: room.meetingId, clientKey: key });
      expect(await ackOk(a, 'speaker.request', { meetingId: room.meetingId, clientKey: key })).toEqual(first);
      expect(
        await ackOk(a, 'speaker.request', { meetingId: room.meetingId, clientKey: randomUUID() }),
      ).toEqual(first);
      await ackOk(b, 'speaker.request', {
        meetingId: room.meetingId,
        clientKey: randomUUID(),
        agendaItemId: room.agendaItemIds[0],
      });
      await ackOk(c, 'speaker.request', { meetingId: room.meetingId, clientKey: randomUUID() });
      await ackOk(b, 'speaker.withdraw', { meetingId: room.meetingId });
      const next = await ackOk<{ seq: number }>(chair, 'speaker.next', { meetingId: room.meetingId });
      await waitFor(() => seen.some((e) => e.seq === next.seq));
      const last = seen.filter((e) => e.type === 'speakers.changed').at(-1)!;
      expect(last.data.current.participantId).toBe(room.attendees[0].participantId);
      expect(last.data.queue.map((q: { participantId: string }) => q.participantId)).toEqual([
        room.attendees[2].participantId,
      ]);
      const snap = await ackOk(c, 'meeting.join', { meetingId: room.meetingId });
      expect(snap.snapshot.speakers).toEqual(last.data);
      expect(await emitAck(a, 'speaker.next', { meetingId: room.meetingId })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    });
  });

  describe('chair controls', () => {
    it('advances the agenda: current → done, next pending → current', async () => {
      const first = await ackOk(chair, 'agenda.advance', { meetingId: room.meetingId });
      expect(first.currentAgendaItemId).toBe(room.agendaItemIds[0]);
      const second = await ackOk(chair, 'agenda.advance', { meetingId: room.meetingId });
      expect(second.currentAgendaItemId).toBe(room.agendaItemIds[1]);
      const states = await db.query(
        'SELECT id, state FROM agenda_item WHERE meeting_id = $1 ORDER BY position',
        [room.meetingId],
      );
      expect(states.rows.map((r) => r.state)).toEqual(['done', 'current', 'pending']);
      const ev = await db.query(`SELECT data FROM event_log WHERE stream = $1 AND seq = $2`, [
        `meeting:${room.meetingId}`,
        second.seq,
      ]);
      expect(ev.rows[0].data.currentAgendaItemId).toBe(room.agendaItemIds[1]);
    });

    it('hides and merges inputs: they leave the snapshot, the merge links to its target, the reason is audited', async () => {
      const s = await tablet(5);
      const { inputId: keep } = await submit(s, { text: '保留' });
      const { inputId: dup } = await submit(s, { text: '重复' });
      const { inputId: rude } = await submit(s, { text: '无关内容' });
      await ackOk(chair, 'input.moderate', {
        inputId: dup,
        action: 'merge',
        intoInputId: keep,
        reason: '内容重复',
      });
      await ackOk(chair, 'input.moderate', { inputId: rude, action: 'hide', reason: '与议题无关' });
      expect(
        await emitAck(chair, 'input.moderate', { inputId: rude, action: 'hide', reason: 'again' }),
      ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(
        await emitAck(chair, 'input.moderate', { inputId: keep, action: 'merge', reason: 'no target' }),
      ).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', fields: { intoInputId: expect.any(Array) } },
      });
      const row = (await db.query('SELECT merged_into_input_id, disposition FROM input WHERE id = $1', [dup]))
        .rows[0];
      expect(row).toEqual({ merged_into_input_id: keep, disposition: 'merged' });
      const snap = await ackOk(s, 'meeting.join', { meetingId: room.meetingId });
      const ids = snap.snapshot.inputs.map((i: { inputId: string }) => i.inputId);
      expect(ids).toContain(keep);
      expect(ids).not.toContain(dup);
      expect(ids).not.toContain(rude);
      const audit = await db.query(`SELECT action, after FROM audit_log WHERE entity_id = $1`, [dup]);
      expect(audit.rows.find((r) => r.action === 'input.merged')?.after.reason).toBe('内容重复');
      expect(
        await emitAck(s, 'input.moderate', { inputId: keep, action: 'hide', reason: 'x' }),
      ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    });

    it('adjourns over the socket: input, co-sign, speaker and vote then get SESSION_CLOSED; opens again', async () => {
      const s = await tablet(1);
      const { inputId } = await submit(await tablet(0));
      const { pollId } = await ackOk(chair, 'poll.open', {
        meetingId: room.meetingId,
        kind: 'named',
        question: '是否同意',
        choices: ['yes', 'no'],
      });
      expect(await ackOk(chair, 'meeting.adjourn', { meetingId: room.meetingId })).toEqual({
        status: 'adjourned',
      });
      const closed = { ok: false, error: { code: 'SESSION_CLOSED' } };
      expect(
        await emitAck(s, 'input.submit', {
          meetingId: room.meetingId,
          clientKey: randomUUID(),
          kind: 'opinion',
          text: 'x',
        }),
      ).toMatchObject(closed);
      expect(await emitAck(s, 'input.cosign', { inputId, clientKey: randomUUID() })).toMatchObject(closed);
      expect(
        await emitAck(s, 'speaker.request', { meetingId: room.meetingId, clientKey: randomUUID() }),
      ).toMatchObject(closed);
      expect(await emitAck(s, 'poll.vote', { pollId, choice: 'yes', clientKey: randomUUID() })).toMatchObject(
        closed,
      );
      expect(await count('SELECT count(*) AS n FROM poll_voter WHERE poll_id = $1', [pollId])).toBe(0);
      expect(await ackOk(chair, 'meeting.open', { meetingId: room.meetingId })).toEqual({
        status: 'in_session',
      });
      await ackOk(chair, 'poll.close', { pollId });
    });
  });

  describe('exactly once and gap-free', () => {
    it('a vote retried with the same key stores one voter row and one ballot, and acks the same receipt', async () => {
      const s = await tablet(2);
      const { pollId } = await ackOk(chair, 'poll.open', {
        meetingId: room.meetingId,
        kind: 'secret',
        question: '是否通过',
        choices: ['agree', 'disagree', 'abstain'],
      });
      const clientKey = randomUUID();
      const acks = await Promise.all(
        [1, 2, 3].map(() =>
          ackOk<{ receipt: string }>(s, 'poll.vote', { pollId, choice: 'agree', clientKey }),
        ),
      );
      expect(new Set(acks.map((a) => a.receipt)).size).toBe(1);
      expect(await count('SELECT count(*) AS n FROM poll_voter WHERE poll_id = $1', [pollId])).toBe(1);
      expect(await count('SELECT count(*) AS n FROM poll_ballot WHERE poll_id = $1', [pollId])).toBe(1);
      expect(
        await emitAck(s, 'poll.vote', { pollId, choice: 'disagree', clientKey: randomUUID() }),
      ).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT' },
      });
      const closed = await ackOk(chair, 'poll.close', { pollId });
      expect(closed.counts).toEqual({ agree: 1, disagree: 0, abstain: 0 });
    });

    it('a tablet that missed 100 events gets exactly those, in order, when it rejoins with afterSeq', async () => {
      const s = await tablet(3);
      const joined = await ackOk<{ seq: number }>(s, 'meeting.join', { meetingId: room.meetingId });
      s.disconnect();
      const [author, cosigner, speaker] = await Promise.all([tablet(0), tablet(1), tablet(5)]);
      // 100 events of three kinds while the tablet is away: 10 rounds of 7 inputs, 1 co-sign,
      // a speaking request and its withdrawal.
      const kinds: string[] = [];
      for (let round = 0; round < 10; round++) {
        const inputs: string[] = [];
        for (let i = 0; i < 7; i++) {
          inputs.push((await submit(author, { text: `第${round}-${i}条` })).inputId);
          kinds.push('input.submitted');
        }
        await ackOk(cosigner, 'input.cosign', { inputId: inputs[0], clientKey: randomUUID() });
        kinds.push('input.cosigned');
        await ackOk(speaker, 'speaker.request', { meetingId: room.meetingId, clientKey: randomUUID() });
        await ackOk(speaker, 'speaker.withdraw', { meetingId: room.meetingId });
        kinds.push('speakers.changed', 'speakers.changed');
      }
      expect(kinds).toHaveLength(100);
      const back = await connect(room.attendees[3].token);
      const pushed = collectEvents(back);
      const res = await ackOk<{ seq: number; events: { seq: number; type: string }[] }>(
        back,
        'meeting.join',
        {
          meetingId: room.meetingId,
          afterSeq: joined.seq,
        },
      );
      expect(res.events).toHaveLength(100);
      expect(res.events.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => joined.seq + 1 + i));
      expect(res.events.map((e) => e.type)).toEqual(kinds);
      expect(res.seq).toBe(joined.seq + 100);
      const logged = await db.query(
        'SELECT seq, type FROM event_log WHERE stream = $1 AND seq > $2 ORDER BY seq',
        [`meeting:${room.meetingId}`, joined.seq],
      );
      expect(logged.rows.map((r) => [Number(r.seq), r.type])).toEqual(res.events.map((e) => [e.seq, e.type]));
      // Live again: the next event arrives pushed, right after the catch-up.
      const next = await submit(author);
      await waitFor(() => pushed.some((e) => e.seq === next.seq));
      expect(next.seq).toBe(res.seq + 1);
    });

    it('answers bad payloads of the new events with VALIDATION through the ack; the socket stays connected', async () => {
      const s = await tablet(4);
      const cases: [string, unknown, string[]][] = [
        ['input.cosign', { inputId: 'nope', clientKey: 'x' }, ['clientKey', 'inputId']],
        ['speaker.request', { meetingId: room.meetingId }, ['clientKey']],
        [
          'poll.vote',
          { pollId: randomUUID(), choice: '', clientKey: randomUUID(), extra: true },
          ['choice', 'extra'],
        ],
      ];
      for (const [event, payload, fields] of cases) {
        const res = await emitAck(s, event, payload);
        expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
        expect(res.ok ? [] : Object.keys(res.error.fields ?? {}).sort()).toEqual(fields);
      }
      const poll = await emitAck(chair, 'poll.open', {
        meetingId: room.meetingId,
        kind: 'named',
        question: 'q',
        choices: ['a'],
      });
      expect(poll).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', fields: { choices: expect.any(Array) } },
      });
      const sat = await emitAck(chair, 'poll.open', {
        meetingId: room.meetingId,
        kind: 'satisfaction',
        question: 'q',
      });
      expect(sat).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', fields: { targetUnitId: expect.any(Array) } },
      });
      expect(s.connected).toBe(true);
      expect(chair.connected).toBe(true);
    });
  });
});
