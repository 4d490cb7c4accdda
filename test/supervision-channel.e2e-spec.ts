/* Item changes over socket.io (`/supervision`): per-unit and supervision channels, handshake
 * auth, who may join what, pushes after commit, and the gap-free `afterSeq` resume. */
import type { Ack } from '@liexi/contracts';
import { startTestApp, type TestApp, emitAck, waitFor } from './support/app';

/** The data of a successful ack (fails the test otherwise). */
function data(ack: Ack<any>): any {
  if (!ack.ok) throw new Error(JSON.stringify(ack.error));
  return ack.data;
}
import {
  COOP,
  type Cast,
  cast,
  collectChannel,
  connectSupervision,
  itemBody,
  LEAD,
  walk,
} from './support/tasks';

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
    const officeSeq0 = data(joinedOffice).seq as number;
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
    expect(officeSeen.map((e) => e.seq)).toEqual(officeSeen.map((_, i) => officeSeq0 + 1 + i));

    // The unit drops off; three more changes happen; it resumes after the last seq it saw.
    const lastSeen = unitSeen.at(-1)?.seq as number;
    unit.close();
    await walk(c, item.id, ['start']);
    await c.handler.ok(c.handler.post(`/api/tasks/${item.id}/progress`, { text: '推进中', percent: 50 }));
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
});
