import type { LiveEvent, MeetingSnapshot } from '@liexi/contracts';
import { FakeWire, ManualTimers, settle } from './fake-wire';
import { LiveClient, type LinkState } from './live-client';
import { Outbox } from './outbox';

const M = '11111111-1111-1111-1111-111111111111';
const ev = (seq: number, text = `t${seq}`): LiveEvent => ({
  seq,
  type: 'input.submitted',
  at: '2026-11-22T00:00:00.000Z',
  data: { inputId: `i${seq}`, agendaItemId: null, kind: 'problem', text, anonymous: false, author: null },
});
const snapshot = { meetingId: M, inputs: [] } as unknown as MeetingSnapshot;

class MemoryStore {
  readonly map = new Map<string, string>();
  getItem = (k: string): string | null => this.map.get(k) ?? null;
  setItem = (k: string, v: string): void => void this.map.set(k, v);
  removeItem = (k: string): void => void this.map.delete(k);
}

function setup(store = new MemoryStore()) {
  const wire = new FakeWire();
  const timers = new ManualTimers();
  const seen: number[] = [];
  const links: LinkState[] = [];
  const snapshots: MeetingSnapshot[] = [];
  const client = new LiveClient(
    wire,
    M,
    new Outbox(store, `outbox:${M}`),
    {
      snapshot: (s) => snapshots.push(s),
      events: (es) => seen.push(...es.map((e) => e.seq)),
      link: (l) => links.push(l),
      outbox: () => undefined,
    },
    timers,
  );
  client.start();
  return { wire, timers, seen, links, snapshots, client, store };
}

describe('LiveClient (the README client algorithm)', () => {
  it('buffers pushes until the join ack, then applies only those above ack.seq, in order', async () => {
    const { wire, seen, snapshots, client } = setup();
    wire.connect();
    const join = wire.next();
    expect(join.event).toBe('meeting.join');
    expect(join.payload).toEqual({ meetingId: M });
    wire.push('meeting.events', { meetingId: M, events: [ev(7), ev(6)] });
    wire.push('meeting.events', { meetingId: M, events: [ev(5)] });
    expect(seen).toEqual([]);
    join.resolve({ ok: true, data: { seq: 5, snapshot } });
    await settle();
    expect(snapshots).toHaveLength(1);
    expect(seen).toEqual([6, 7]);
    expect(client.lastSeq).toBe(7);
  });

  it('drops seq ≤ lastSeq and rejoins with afterSeq on a gap', async () => {
    const { wire, seen } = setup();
    wire.connect();
    wire.next().resolve({ ok: true, data: { seq: 3, snapshot } });
    await settle();
    wire.push('meeting.events', { meetingId: M, events: [ev(2), ev(3), ev(4)] });
    expect(seen).toEqual([4]);
    wire.push('meeting.events', { meetingId: M, events: [ev(6)] });
    const rejoin = wire.next();
    expect(rejoin.payload).toEqual({ meetingId: M, afterSeq: 4 });
    rejoin.resolve({ ok: true, data: { seq: 6, events: [ev(5), ev(6)] } });
    await settle();
    expect(seen).toEqual([4, 5, 6]);
  });

  it('rejoins with afterSeq after a reconnect and ignores pushes for other meetings', async () => {
    const { wire, seen, links } = setup();
    wire.connect();
    wire.next().resolve({ ok: true, data: { seq: 10, snapshot } });
    await settle();
    wire.push('meeting.events', { meetingId: 'other', events: [ev(11)] });
    expect(seen).toEqual([]);
    wire.drop();
    expect(links.at(-1)).toBe('offline');
    wire.connect();
    expect(wire.next().payload).toEqual({ meetingId: M, afterSeq: 10 });
  });

  it('keeps a write in storage and sends it with the same clientKey until it is acked', async () => {
    const store = new MemoryStore();
    const first = setup(store);
    // Typed while offline: stored, nothing sent.
    first.client.send('input.submit', { meetingId: M, clientKey: 'k1', kind: 'problem', text: '离线' }, 'k1');
    expect(first.wire.requests).toHaveLength(0);
    expect([...store.map.values()].join()).toContain('离线');

    // A reload: a new client on the same storage still holds it and sends it once joined.
    first.client.stop();
    const { wire, timers, client } = setup(store);
    wire.connect();
    wire.next().resolve({ ok: true, data: { seq: 1, snapshot } });
    await settle();
    const sent = wire.next();
    expect(sent.event).toBe('input.submit');
    expect(sent.payload.clientKey).toBe('k1');

    // The ack is lost with the connection: after the reconnect the same clientKey goes again.
    wire.drop();
    await settle();
    timers.fireAll();
    await settle();
    expect(wire.requests).toHaveLength(0);
    wire.connect();
    wire.next().resolve({ ok: true, data: { seq: 2, events: [] } });
    await settle();
    const again = wire.next();
    expect(again.payload.clientKey).toBe('k1');

    // A retryable refusal waits and tries again, still with the same key.
    again.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'busy' } });
    await settle();
    timers.fireAll();
    await settle();
    const third = wire.next();
    expect(third.payload.clientKey).toBe('k1');
    third.resolve({ ok: true, data: { inputId: 'i1', seq: 3 } });
    await settle();
    expect(store.map.size).toBe(0);
    expect(client.lastSeq).toBe(2);
  });

  it('keeps a write the server refuses for good, marked failed, so its text is not lost', async () => {
    const { wire, client, store } = setup();
    wire.connect();
    wire.next().resolve({ ok: true, data: { seq: 1, snapshot } });
    await settle();
    client.send('input.submit', { meetingId: M, clientKey: 'k2', text: '休会后' }, 'k2');
    wire.next().resolve({ ok: false, error: { code: 'SESSION_CLOSED', message: 'closed' } });
    await settle();
    const kept = JSON.parse([...store.map.values()][0] ?? '[]');
    expect(kept[0].failed.code).toBe('SESSION_CLOSED');
    expect(wire.requests).toHaveLength(0);
    client.dismiss('k2');
    expect(store.map.size).toBe(0);
  });
});
