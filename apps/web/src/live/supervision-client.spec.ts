import type { ChannelItem, LiveEvent, TaskChangedEvent } from '@liexi/contracts';
import { FakeWire, ManualTimers, settle } from './fake-wire';
import { SupervisionClient } from './supervision-client';

const change = (seq: number, taskId: string, version: number, state = 'assigned'): LiveEvent =>
  ({
    seq,
    type: 'task.changed',
    at: '2026-11-22T00:00:00.000Z',
    data: {
      taskId,
      action: 'x',
      state,
      leadUnitId: 'u1',
      cooperatingUnitIds: [],
      deadline: '2026-12-31',
      reopenCount: 0,
      version,
    },
  }) as LiveEvent;

function setup() {
  const wire = new FakeWire();
  const applied: TaskChangedEvent[] = [];
  let items: ReadonlyMap<string, ChannelItem> = new Map();
  const client = new SupervisionClient(
    wire,
    { items: (i) => (items = new Map(i)), changed: (c) => applied.push(...c), link: () => undefined },
    new ManualTimers(),
  );
  client.start();
  return { wire, applied, client, items: () => items };
}

describe('SupervisionClient (the supervision channel)', () => {
  it('buffers until the join ack, applies each change once by version, rejoins with afterSeqs on a gap', async () => {
    const { wire, applied, client, items } = setup();
    wire.connect();
    const join = wire.next();
    expect(join.payload).toEqual({ channel: 'supervision' });
    // The same change on two unit streams, and one already in the snapshot.
    wire.push('channel.events', {
      channel: 'supervision',
      stream: 'unit:a',
      events: [change(2, 't1', 2), change(3, 't1', 3)],
    });
    wire.push('channel.events', { channel: 'supervision', stream: 'unit:b', events: [change(1, 't1', 3)] });
    join.resolve({
      ok: true,
      data: {
        seqs: { 'unit:a': 2 },
        snapshot: {
          channel: 'supervision',
          items: [
            {
              id: 't1',
              problem: '融资难',
              state: 'draft',
              leadUnitId: 'u1',
              deadline: '2026-12-31',
              light: null,
              reopenCount: 0,
              version: 2,
            },
          ],
        },
      },
    });
    await settle();
    expect(applied.map((c) => c.version)).toEqual([3]);
    expect(items().get('t1')).toEqual(expect.objectContaining({ problem: '融资难', version: 3 }));
    expect(client.seqs).toEqual({ 'unit:a': 3, 'unit:b': 1 });

    wire.push('channel.events', {
      channel: 'supervision',
      stream: 'unit:a',
      events: [change(5, 't1', 5, 'closed')],
    });
    const rejoin = wire.next();
    expect(rejoin.payload).toEqual({ channel: 'supervision', afterSeqs: { 'unit:a': 3, 'unit:b': 1 } });
    rejoin.resolve({
      ok: true,
      data: {
        seqs: { 'unit:a': 5 },
        events: [
          { ...change(4, 't1', 4), stream: 'unit:a' },
          { ...change(5, 't1', 5, 'closed'), stream: 'unit:a' },
        ],
      },
    });
    await settle();
    expect(applied.map((c) => c.version)).toEqual([3, 4, 5]);
    expect(items().get('t1')?.state).toBe('closed');
  });
});
