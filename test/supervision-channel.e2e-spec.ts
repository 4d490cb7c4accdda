/* Item changes over socket.io (`/supervision`): per-unit and supervision channels, handshake
 * auth, who may join what, pushes after commit, the gap-free `afterSeq` resume of a unit channel
 * and the per-stream `afterSeqs` resume of the supervision channel — and no stream that every
 * task write must lock: a write held open on one unit's item does not hold up another unit's. */
import type { Ack } from '@liexi/contracts';
import { TaskCommandsService } from '@liexi/handling';
import { Db, TokenService } from '@liexi/platform';
import { Client } from 'pg';
import { startTestApp, type TestApp, emitAck, waitFor } from './support/app';
import {
  COOP,
  type Cast,
  cast,
  collectChannel,
  connectSupervision,
  itemBody,
  LEAD,
  type SeenEvent,
  walk,
} from './support/tasks';

/** The data of a successful ack (fails the test otherwise). */
function data(ack: Ack<any>): any {
  if (!ack.ok) throw new Error(JSON.stringify(ack.error));
  return ack.data;
}

const OTHER = '县发展和改革局';

/** Resolves with `promise`, or rejects when it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The cursors a supervision client holds after its join answer and the pushes it applied. */
function cursors(joined: Record<string, number>, seen: SeenEvent[]): Record<string, number> {
  const seqs = { ...joined };
  for (const e of seen) seqs[e.stream] = Math.max(seqs[e.stream] ?? 0, e.seq);
  return seqs;
}

describe('the /supervision channels', () => {
  let t: TestApp;
  let c: Cast;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_ENABLED: 'false' });
    c = await cast(t.baseUrl);
  });
  afterAll(async () => {
    for (const s of c?.sockets ?? []) s.close();
    await t.close();
  });

  it('refuses a socket without a valid token in the handshake', async () => {
    await expect(connectSupervision(t.baseUrl, undefined)).rejects.toThrow('UNAUTHORIZED');
    await expect(connectSupervision(t.baseUrl, 'forged')).rejects.toThrow('UNAUTHORIZED');
  });

  it('a unit joins only its own channel; the supervision channel is for overseers', async () => {
    const handler = await connectSupervision(t.baseUrl, c.handler.token);
    const member = await connectSupervision(t.baseUrl, c.member.token);
    c.sockets.push(handler, member);
    const own = await emitAck(handler, 'channel.join', { channel: `unit:${c.units[LEAD]}` });
    expect(own).toMatchObject({
      ok: true,
      data: { seq: expect.any(Number), snapshot: { items: expect.any(Array) } },
    });
    const other = await emitAck(handler, 'channel.join', { channel: `unit:${c.units[COOP]}` });
    expect(other).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const sup = await emitAck(handler, 'channel.join', { channel: 'supervision' });
    expect(sup).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const bad = await emitAck(handler, 'channel.join', { channel: 'meeting:x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const attendee = await emitAck(member, 'channel.join', { channel: 'supervision' });
    expect(attendee).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    for (const who of [c.supervisor, c.leader, c.secretary]) {
      const s = await connectSupervision(t.baseUrl, who.token);
      c.sockets.push(s);
      expect((await emitAck(s, 'channel.join', { channel: 'supervision' })).ok).toBe(true);
    }
  });

  it('pushes item changes to the unit and the supervision office, and resumes gap-free after afterSeq', async () => {
    const office = await connectSupervision(t.baseUrl, c.supervisor.token);
    const unit = await connectSupervision(t.baseUrl, c.handler.token);
    c.sockets.push(office, unit);
    const officeSeen = collectChannel(office);
    const unitSeen = collectChannel(unit);
    const joinedOffice = await emitAck(office, 'channel.join', { channel: 'supervision' });
    const joinedUnit = await emitAck(unit, 'channel.join', { channel: `unit:${c.units[LEAD]}` });
    // The supervision channel follows every unit stream: a cursor per stream, not one seq.
    const officeSeqs0 = data(joinedOffice).seqs as Record<string, number>;
    const unitSeq0 = data(joinedUnit).seq as number;

    const item = await c.secretary.ok(c.secretary.post('/api/tasks', itemBody(c, { assign: true })), 201);
    await walk(c, item.id, ['accept']);
    await waitFor(() => unitSeen.some((e) => e.data.taskId === item.id && e.data.action === 'accept'));
    await waitFor(() => officeSeen.some((e) => e.data.taskId === item.id && e.data.action === 'accept'));
    expect(unitSeen.filter((e) => e.data.taskId === item.id).map((e) => e.data.action)).toEqual([
      'created',
      'assign',
      'accept',
    ]);
    expect(unitSeen.every((e) => e.channel === `unit:${c.units[LEAD]}` && e.type === 'task.changed')).toBe(
      true,
    );
    const seqs = unitSeen.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => unitSeq0 + 1 + i));
    // The office's pushes name their unit stream and are gap-free per stream.
    expect(officeSeen.every((e) => e.channel === 'supervision' && e.type === 'task.changed')).toBe(true);
    expect(officeSeen.map((e) => e.stream)).toContain(`unit:${c.units[LEAD]}`);
    for (const stream of new Set(officeSeen.map((e) => e.stream))) {
      const own = officeSeen.filter((e) => e.stream === stream).map((e) => e.seq);
      const from = (officeSeqs0[stream] ?? 0) + 1;
      expect(own).toEqual(own.map((_, i) => from + i));
    }
    expect(
      officeSeen
        .filter((e) => e.data.taskId === item.id)
        .map((e) => [e.stream, e.data.action, e.data.version]),
    ).toEqual([
      [`unit:${c.units[LEAD]}`, 'created', 1],
      [`unit:${c.units[LEAD]}`, 'assign', 2],
      [`unit:${c.units[LEAD]}`, 'accept', 3],
    ]);

    // The unit drops off; three more changes happen; it resumes after the last seq it saw.
    const lastSeen = unitSeen.at(-1)?.seq as number;
    unit.close();
    await walk(c, item.id, ['start']);
    await c.handler.ok(
      c.handler.post(`/api/tasks/${item.id}/progress`, { text: '推进中', percent: 50 }),
      201,
    );
    await walk(c, item.id, ['draft_reply']);
    const back = await connectSupervision(t.baseUrl, c.handler.token);
    c.sockets.push(back);
    const resumed = await emitAck(back, 'channel.join', {
      channel: `unit:${c.units[LEAD]}`,
      afterSeq: lastSeen,
    });
    expect(resumed.ok).toBe(true);
    const events = data(resumed).events as { seq: number; data: { action: string } }[];
    expect(events.map((e) => e.seq)).toEqual([lastSeen + 1, lastSeen + 2, lastSeen + 3]);
    expect(events.map((e) => e.data.action)).toEqual(['start', 'progress', 'draft_reply']);
    expect(data(resumed).seq).toBe(lastSeen + 3);

    // A client from the future (or too far behind) gets a snapshot with the current seq.
    const snap = await emitAck(back, 'channel.join', {
      channel: `unit:${c.units[LEAD]}`,
      afterSeq: lastSeen + 1000,
    });
    expect(data(snap).seq).toBe(lastSeen + 3);
    expect(data(snap).snapshot.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: item.id, state: 'reply_drafted', light: expect.any(String) }),
      ]),
    );
  });

  it('a cooperating unit receives changes on its own channel too', async () => {
    const coop = await connectSupervision(t.baseUrl, c.secretary.token);
    c.sockets.push(coop);
    const seen = collectChannel(coop);
    await emitAck(coop, 'channel.join', { channel: `unit:${c.units[COOP]}` });
    const item = await c.secretary.ok(
      c.secretary.post('/api/tasks', itemBody(c, { cooperatingUnitIds: [c.units[COOP]], assign: true })),
      201,
    );
    await waitFor(() => seen.some((e) => e.data.taskId === item.id && e.data.action === 'assign'));
    expect(seen.every((e) => e.channel === `unit:${c.units[COOP]}`)).toBe(true);
  });

  it('the supervision channel resumes every unit stream after afterSeqs, gap-free; copies share a version', async () => {
    const office = await connectSupervision(t.baseUrl, c.leader.token);
    c.sockets.push(office);
    const seen = collectChannel(office);
    const joined = data(await emitAck(office, 'channel.join', { channel: 'supervision' }));
    expect(joined.snapshot.channel).toBe('supervision');
    expect(joined.snapshot.items.every((i: { version: number }) => Number.isInteger(i.version))).toBe(true);
    const lead = `unit:${c.units[LEAD]}`;
    const coop = `unit:${c.units[COOP]}`;
    const other = `unit:${c.units[OTHER]}`;

    // One change of an item with a cooperating unit arrives once per unit stream, same version.
    const item = await c.secretary.ok(
      c.secretary.post('/api/tasks', itemBody(c, { cooperatingUnitIds: [c.units[COOP]], assign: true })),
      201,
    );
    await waitFor(
      () => seen.filter((e) => e.data.taskId === item.id && e.data.action === 'assign').length === 2,
    );
    const copies = seen.filter((e) => e.data.taskId === item.id);
    expect(copies.map((e) => [e.stream, e.data.action, e.data.version]).sort()).toEqual(
      [
        [lead, 'created', 1],
        [lead, 'assign', 2],
        [coop, 'created', 1],
        [coop, 'assign', 2],
      ].sort(),
    );

    // The office drops off; changes happen on three unit streams; it resumes with its cursors.
    const held = cursors(joined.seqs, seen);
    office.close();
    await walk(c, item.id, ['accept', 'start']);
    const elsewhere = await c.secretary.ok(
      c.secretary.post('/api/tasks', itemBody(c, { leadUnitId: c.units[OTHER], assign: true })),
      201,
    );
    const back = await connectSupervision(t.baseUrl, c.leader.token);
    c.sockets.push(back);
    const resumed = data(await emitAck(back, 'channel.join', { channel: 'supervision', afterSeqs: held }));
    expect(resumed.snapshot).toBeUndefined();
    const events = resumed.events as { stream: string; seq: number; data: any }[];
    for (const stream of [lead, coop, other]) {
      const own = events.filter((e) => e.stream === stream).map((e) => e.seq);
      const from = (held[stream] ?? 0) + 1;
      expect(own).toEqual(own.map((_, i) => from + i));
      expect(resumed.seqs[stream]).toBe(own.at(-1));
    }
    const missed = (stream: string, taskId: string): [string, number][] =>
      events
        .filter((e) => e.stream === stream && e.data.taskId === taskId)
        .map((e) => [e.data.action, e.data.version]);
    expect(missed(lead, item.id)).toEqual([
      ['accept', 3],
      ['start', 4],
    ]);
    expect(missed(coop, item.id)).toEqual([
      ['accept', 3],
      ['start', 4],
    ]);
    expect(missed(other, elsewhere.id)).toEqual([
      ['created', 1],
      ['assign', 2],
    ]);
    // Streams without news are answered with their cursor and no events.
    for (const [stream, seq] of Object.entries(held)) {
      if (![lead, coop, other].includes(stream)) expect(resumed.seqs[stream]).toBe(seq);
    }

    // A cursor ahead of its stream (or too far behind) gets a snapshot with every cursor.
    const ahead = data(
      await emitAck(back, 'channel.join', {
        channel: 'supervision',
        afterSeqs: { ...resumed.seqs, [lead]: resumed.seqs[lead] + 1000 },
      }),
    );
    expect(ahead.events).toBeUndefined();
    expect(ahead.seqs).toEqual(resumed.seqs);
    expect(ahead.snapshot.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: item.id, state: 'in_progress', version: 4 })]),
    );

    // Each channel resumes its own way.
    const mixed = await emitAck(back, 'channel.join', { channel: 'supervision', afterSeq: 3 });
    expect(mixed).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const unitWithSeqs = await emitAck(back, 'channel.join', { channel: lead, afterSeqs: { [lead]: 1 } });
    expect(unitWithSeqs).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const badKey = await emitAck(back, 'channel.join', {
      channel: 'supervision',
      afterSeqs: { 'meeting:x': 1 },
    });
    expect(badKey).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('a task write held open on one unit’s item does not hold up a write on another unit’s item', async () => {
    const db = t.app.get(Db);
    const commands = t.app.get(TaskCommandsService);
    const secretary = t.app.get(TokenService).verify(c.secretary.token).actor;
    const draft = (unit: string): Promise<{ id: string }> =>
      c.secretary.ok(c.secretary.post('/api/tasks', itemBody(c, { leadUnitId: c.units[unit] })), 201);
    const [a1, a2, b] = [await draft(LEAD), await draft(LEAD), await draft(OTHER)];

    // A transaction assigns a1 (unit A) through the app's own service, and stays open.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const isHolding = new Promise<void>((resolve) => (holding = resolve));
    const holder = db.transaction(async () => {
      await commands.assign(secretary, a1.id);
      holding();
      await released;
    });
    await isHolding;
    let sameUnit: Promise<{ status: number }> | undefined;
    try {
      // Another item of unit A waits for the held transaction (its unit stream is locked) …
      let sameUnitDone = false;
      sameUnit = c.secretary.post(`/api/tasks/${a2.id}/assign`, {});
      void sameUnit.then(() => (sameUnitDone = true));
      // … while an item of unit B is assigned at once: no stream is shared by every task write.
      const res = await within(c.secretary.post(`/api/tasks/${b.id}/assign`, {}), 3000, 'the unit-B write');
      expect([res.status, res.body.state]).toEqual([200, 'assigned']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sameUnitDone).toBe(false);
    } finally {
      release();
    }
    await holder;
    expect((await sameUnit)?.status).toBe(200);
    const states = await Promise.all(
      [a1, a2, b].map(async (x) => (await c.secretary.ok(c.secretary.get(`/api/tasks/${x.id}`))).state),
    );
    expect(states).toEqual(['assigned', 'assigned', 'assigned']);

    // Nothing appends to a stream of all items any more.
    const pg = new Client({ connectionString: t.databaseUrl });
    await pg.connect();
    try {
      const rows = await pg.query(
        `SELECT stream FROM event_stream WHERE stream NOT LIKE 'unit:%' AND stream NOT LIKE 'meeting:%'`,
      );
      expect(rows.rows).toEqual([]);
    } finally {
      await pg.end();
    }
  });
});
