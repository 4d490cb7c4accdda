/* Group commit of the live paths, driven over socket.io: inputs, co-signs and votes arriving
 * together are written in batches, yet each tablet gets its own answer — one bad input never
 * fails its batch-mates, a clientKey is stored once, seqs stay gap-free, and acks come after
 * the commit. */
import { randomUUID } from 'node:crypto';
import { InputWriter, VoteWriter } from '@liexi/live';
import { TokenService } from '@liexi/platform';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { type Plenary, seedPlenary } from '../bench/seed-plenary';
import { Api, collectEvents, connectLive, emitAck, startTestApp, type TestApp, waitFor } from './support/app';

describe('group commit on the live paths', () => {
  let t: TestApp;
  let db: Client;
  let plenary: Plenary;
  let tablets: Socket[];
  const others: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp({ JOBS_ENABLED: 'false', LIVE_RATE_LIMIT: '100000', LIVE_BATCH_WINDOW_MS: '10' });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    plenary = await seedPlenary(t.databaseUrl, t.app.get(TokenService), 40);
    tablets = await Promise.all(plenary.attendees.map((a) => connectLive(t.baseUrl, a.token)));
  });
  afterAll(async () => {
    for (const s of [...tablets, ...others]) s.close();
    await db.end();
    await t.close();
  });

  const submit = (s: Socket, body: Record<string, unknown>) =>
    emitAck<{ inputId: string; seq: number }>(s, 'input.submit', {
      meetingId: plenary.meetingId,
      clientKey: randomUUID(),
      kind: 'suggestion',
      text: '建议',
      ...body,
    });
  const streamSeqs = async (): Promise<number[]> =>
    (
      await db.query<{ seq: string }>('SELECT seq FROM event_log WHERE stream = $1 ORDER BY seq', [
        `meeting:${plenary.meetingId}`,
      ])
    ).rows.map((r) => Number(r.seq));

  it('answers each input of a batch on its own: a bad one fails alone', async () => {
    const late = plenary.attendees[39];
    await db.query(
      `UPDATE invitation SET status = 'accepted' WHERE meeting_id = $1 AND participant_id = $2`,
      [plenary.meetingId, late?.participantId],
    );
    const secretary = await Api.login(t.baseUrl, 'secretary');
    const otherMeeting = (await secretary.all<{ id: string; status: string }>('/api/meetings')).find(
      (m) => m.id !== plenary.meetingId,
    );
    const foreignItem = (
      await secretary.ok<{ agenda: { id: string }[] }>(secretary.get(`/api/meetings/${otherMeeting?.id}`))
    ).agenda[0]?.id;
    expect(foreignItem).toBeDefined();
    // A NUL byte used to be the input the database refuses mid-batch; since issue 9 the edge refuses
    // it first. The database refuses a marked text instead (a trigger), so one input still fails
    // there: the whole batch fails, then each is written alone.
    await db.query(`CREATE FUNCTION test_refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.text = '数据库拒绝' THEN RAISE EXCEPTION 'refused' USING ERRCODE = '22023'; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER test_refuse_marked BEFORE INSERT ON input
      FOR EACH ROW EXECUTE FUNCTION test_refuse_marked()`);
    const before = t.app.get(InputWriter).figures;

    const answers = await Promise.all(
      tablets.map((s, i) =>
        submit(
          s,
          i === 3
            ? { text: '数据库拒绝' } // refused by the database: the whole batch fails, then each alone
            : i === 7
              ? { agendaItemId: foreignItem }
              : { text: `第${i}条` },
        ),
      ),
    );
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes[3]).toBe('VALIDATION');
    expect(codes[7]).toBe('VALIDATION');
    expect(codes[39]).toBe('FORBIDDEN'); // not checked in
    expect(codes.filter((c) => c === 'ok')).toHaveLength(37);

    const after = t.app.get(InputWriter).figures;
    expect(after.items - before.items).toBe(40);
    expect(after.largest).toBeGreaterThan(1); // they really went together
    expect(after.fallbacks - before.fallbacks).toBeGreaterThanOrEqual(1);

    const stored = await db.query<{ id: string; submitted_seq: string }>(
      'SELECT id, submitted_seq FROM input WHERE meeting_id = $1',
      [plenary.meetingId],
    );
    expect(stored.rows).toHaveLength(37);
    const acked = new Map(answers.flatMap((a) => (a.ok ? [[a.data.inputId, a.data.seq] as const] : [])));
    for (const r of stored.rows) expect(Number(r.submitted_seq)).toBe(acked.get(r.id));
    const seqs = await streamSeqs();
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    await db.query('DROP TRIGGER test_refuse_marked ON input');
    await db.query('DROP FUNCTION test_refuse_marked()');

    // A NUL byte never reaches a batch: refused at the edge, nothing written.
    const figures = t.app.get(InputWriter).figures;
    const nul = await submit(tablets[0], { text: '含有\u0000空字符' });
    expect(nul).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { text: expect.any(Array) } },
    });
    expect(t.app.get(InputWriter).figures.items).toBe(figures.items);
  });

  it('stores a clientKey once, also when it comes twice in one batch', async () => {
    const key = randomUUID();
    const [s0, s1] = tablets as [Socket, Socket];
    const [a, b, c] = await Promise.all([
      submit(s0, { clientKey: key, text: '同一条' }),
      submit(s0, { clientKey: key, text: '同一条' }),
      submit(s1, { clientKey: key, text: '别人的' }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(b.data).toEqual(a.data);
    expect(c.ok ? 'ok' : c.error.code).toBe('CONFLICT');
    const rows = await db.query('SELECT 1 FROM input WHERE meeting_id = $1 AND client_key = $2', [
      plenary.meetingId,
      key,
    ]);
    expect(rows.rowCount).toBe(1);
  });

  it('counts co-signs that arrive together one by one, and pushes them in seq order', async () => {
    const author = tablets[0];
    const input = await submit(author, { text: '请联名' });
    if (!input.ok) throw new Error(JSON.stringify(input.error));
    const watcher = await connectLive(t.baseUrl, (await Api.login(t.baseUrl, 'secretary')).token);
    others.push(watcher);
    const seen = collectEvents(watcher);
    const joined = await emitAck<{ seq: number }>(watcher, 'meeting.join', { meetingId: plenary.meetingId });
    expect(joined.ok).toBe(true);
    const signers = tablets.slice(1, 31);
    const keys = signers.map(() => randomUUID());
    const cosign = (s: Socket, clientKey: string) =>
      emitAck<{ seq: number }>(s, 'input.cosign', { inputId: input.data.inputId, clientKey });
    const acks = await Promise.all([
      ...signers.map((s, i) => cosign(s, keys[i] as string)),
      cosign(author, randomUUID()),
    ]);
    expect(acks.slice(0, 30).every((a) => a.ok)).toBe(true);
    const own = acks[30];
    expect(own?.ok ? 'ok' : own?.error.code).toBe('FORBIDDEN');
    const retried = await cosign(signers[0], keys[0]);
    expect(retried).toEqual(acks[0]);

    await waitFor(() => seen.filter((e) => e.type === 'input.cosigned').length >= 30);
    const cosigned = seen.filter((e) => e.type === 'input.cosigned');
    expect(cosigned.map((e) => e.data.cosignCount)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(cosigned.map((e) => e.seq).sort((x, y) => x - y)).toEqual(
      acks
        .slice(0, 30)
        .map((a) => (a.ok ? a.data.seq : 0))
        .sort((x, y) => x - y),
    );
    const seqs = seen.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  });

  it('takes a burst of votes in batches: one vote each, retries get the first receipt', async () => {
    const chair = await connectLive(t.baseUrl, (await Api.login(t.baseUrl, 'secretary')).token);
    others.push(chair);
    const opened = await emitAck<{ pollId: string }>(chair, 'poll.open', {
      meetingId: plenary.meetingId,
      kind: 'named',
      question: '是否同意？',
      choices: ['yes', 'no'],
    });
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    const pollId = opened.data.pollId;
    const voters = tablets.slice(0, 39); // the 40th is not checked in
    const keys = voters.map(() => randomUUID());
    const vote = (s: Socket, clientKey: string, choice: string) =>
      emitAck<{ receipt: string }>(s, 'poll.vote', { pollId, clientKey, choice });
    const first = await Promise.all(
      voters.map((s, i) => vote(s, keys[i] as string, i % 3 === 0 ? 'no' : 'yes')),
    );
    expect(first.every((a) => a.ok)).toBe(true);
    const again = await Promise.all([
      vote(voters[0], keys[0] as string, 'no'),
      vote(voters[1], randomUUID(), 'yes'), // the same choice again: the first receipt
      vote(voters[2], randomUUID(), 'no'), // another choice: refused
    ]);
    expect(again[0]).toEqual(first[0]);
    expect(again[1]).toEqual(first[1]);
    expect(again[2]?.ok ? 'ok' : again[2]?.error.code).toBe('CONFLICT');
    expect(t.app.get(VoteWriter).figures.largest).toBeGreaterThan(1);
    const closed = await emitAck<{ counts: Record<string, number>; voted: number }>(chair, 'poll.close', {
      pollId,
    });
    if (!closed.ok) throw new Error(JSON.stringify(closed.error));
    expect(closed.data.voted).toBe(39);
    expect(closed.data.counts).toEqual({ yes: 26, no: 13 });
  });
});
