import { GroupCommit, type Outcome } from './group-commit';

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('GroupCommit', () => {
  it('writes what arrives together in one batch and answers each item with its own outcome', async () => {
    const batches: number[][] = [];
    const g = new GroupCommit<number, number>({
      windowMs: 5,
      maxSize: 100,
      maxInFlight: 1,
      write: (items) => {
        batches.push(items);
        return Promise.resolve(
          items.map((n): Outcome<number> =>
            n % 2 ? { ok: true, value: n * 10 } : { ok: false, error: new Error(`even ${n}`) },
          ),
        );
      },
    });
    const answers = await Promise.allSettled([1, 2, 3].map((n) => g.submit(n)));
    expect(batches).toEqual([[1, 2, 3]]);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([
      10,
      'even 2',
      30,
    ]);
    expect(g.figures).toEqual({ batches: 1, items: 3, largest: 3, fallbacks: 0 });
  });

  it('cuts a batch at maxSize and lets newcomers gather while batches commit', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const g = new GroupCommit<number, number>({
      windowMs: 0,
      maxSize: 3,
      maxInFlight: 1,
      write: async (items) => {
        batches.push(items);
        await gate;
        return items.map((value) => ({ ok: true, value }));
      },
    });
    const first = [1, 2, 3].map((n) => g.submit(n)); // full: goes at once
    await tick();
    const later = [4, 5, 6, 7].map((n) => g.submit(n)); // wait: the one slot is busy
    await tick(5);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(g.pending).toBe(4);
    release();
    await Promise.all([...first, ...later]);
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('writes a failed batch again item by item, so one bad item never fails its batch-mates', async () => {
    const calls: number[][] = [];
    const g = new GroupCommit<number, number>({
      windowMs: 5,
      maxSize: 100,
      maxInFlight: 2,
      write: (items) => {
        calls.push(items);
        if (items.includes(13)) return Promise.reject(new Error('13 cannot be stored'));
        return Promise.resolve(items.map((value) => ({ ok: true, value })));
      },
    });
    const answers = await Promise.allSettled([11, 12, 13, 14].map((n) => g.submit(n)));
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([[11, 12, 13, 14], [11], [12], [13], [14]]);
    expect(g.figures.fallbacks).toBe(1);
  });

  it('answers a batch at once, without retrying each item, when the failure is not the items’ fault', async () => {
    let calls = 0;
    const g = new GroupCommit<number, number>({
      windowMs: 5,
      maxSize: 100,
      maxInFlight: 1,
      retryAlone: () => false,
      write: () => {
        calls++;
        return Promise.reject(new Error('database out of reach'));
      },
    });
    const answers = await Promise.allSettled([1, 2, 3].map((n) => g.submit(n)));
    expect(answers.every((a) => a.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
  });

  it('writes one batch at a time per lane, lanes in parallel, and what gathered during a commit next', async () => {
    const started: string[][] = [];
    const gates = new Map<string, () => void>();
    const g = new GroupCommit<string, string>({
      windowMs: 0,
      maxSize: 100,
      maxInFlight: 4,
      lane: (item) => item.slice(0, 1),
      write: async (items) => {
        started.push(items);
        await new Promise<void>((resolve) => gates.set(items.join(','), resolve));
        return items.map((value) => ({ ok: true, value }));
      },
    });
    const first = [g.submit('a1'), g.submit('b1')];
    await tick(2);
    expect(started).toEqual([['a1'], ['b1']]); // two lanes, both at once
    const more = [g.submit('a2'), g.submit('a3')];
    await tick(2);
    expect(started).toHaveLength(2); // lane a is busy: a2 and a3 wait together
    gates.get('a1')?.();
    await tick(2);
    expect(started.at(-1)).toEqual(['a2', 'a3']);
    gates.get('b1')?.();
    gates.get('a2,a3')?.();
    await expect(Promise.all([...first, ...more])).resolves.toEqual(['a1', 'b1', 'a2', 'a3']);
  });

  it('never has more batches in flight than allowed, and serves waiting lanes in turn', async () => {
    let inFlight = 0;
    let most = 0;
    const g = new GroupCommit<number, number>({
      windowMs: 0,
      maxSize: 2,
      maxInFlight: 2,
      lane: (n) => String(n % 5),
      write: async (items) => {
        most = Math.max(most, ++inFlight);
        await tick(3);
        inFlight--;
        return items.map((value) => ({ ok: true, value }));
      },
    });
    const all = await Promise.all(Array.from({ length: 40 }, (_, i) => g.submit(i)));
    expect(all).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(most).toBe(2);
    expect(g.pending).toBe(0);
  });
});
