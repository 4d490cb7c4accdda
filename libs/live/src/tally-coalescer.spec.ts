import { Coalescer, type Timers } from './tally-coalescer';

/** A hand-driven clock: timers fire only when `advance` passes their time. */
class FakeTimers implements Timers {
  private t = 0;
  private seq = 0;
  private readonly queue = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.queue.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue.delete(handle as number);
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.queue.entries()]
        .filter(([, v]) => v.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.queue.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
      await new Promise((r) => setImmediate(r)); // let the flush promise settle
    }
    this.t = end;
  }
  get pending(): number {
    return this.queue.size;
  }
}

describe('Coalescer', () => {
  const setup = (
    flushImpl?: (key: string) => Promise<void>,
  ): { timers: FakeTimers; flushed: { key: string; at: number }[]; c: Coalescer } => {
    const timers = new FakeTimers();
    const flushed: { key: string; at: number }[] = [];
    const c = new Coalescer(
      400,
      flushImpl ??
        ((key) => {
          flushed.push({ key, at: timers.now() });
          return Promise.resolve();
        }),
      timers,
    );
    return { timers, flushed, c };
  };

  it('turns a burst of changes into one flush after the interval', async () => {
    const { timers, flushed, c } = setup();
    for (let i = 0; i < 3000; i++) c.touch('poll-1');
    expect(timers.pending).toBe(1);
    await timers.advance(399);
    expect(flushed).toEqual([]);
    await timers.advance(1);
    expect(flushed).toEqual([{ key: 'poll-1', at: 400 }]);
  });

  it('flushes at most once per interval under a steady stream of changes', async () => {
    const { timers, flushed, c } = setup();
    for (let ms = 0; ms < 10_000; ms += 5) {
      c.touch('poll-1');
      await timers.advance(5);
    }
    await timers.advance(1000);
    expect(flushed.length).toBeGreaterThanOrEqual(24);
    expect(flushed.length).toBeLessThanOrEqual(26);
    for (let i = 1; i < flushed.length; i++)
      expect(flushed[i].at - flushed[i - 1].at).toBeGreaterThanOrEqual(400);
  });

  it('keeps keys apart', async () => {
    const { timers, flushed, c } = setup();
    c.touch('a');
    c.touch('b');
    c.touch('a');
    await timers.advance(400);
    expect(flushed.map((f) => f.key).sort()).toEqual(['a', 'b']);
  });

  it('flushes once more for changes that arrive while a flush runs', async () => {
    const timers = new FakeTimers();
    const calls: number[] = [];
    let release: () => void = () => undefined;
    const c = new Coalescer(
      400,
      (_key) => {
        calls.push(timers.now());
        return calls.length === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
      timers,
    );
    c.touch('p');
    await timers.advance(400);
    expect(calls).toEqual([400]);
    c.touch('p');
    c.touch('p');
    expect(timers.pending).toBe(0); // no second timer while the flush runs
    release();
    await new Promise((r) => setImmediate(r));
    await timers.advance(400);
    expect(calls).toEqual([400, 800]);
  });

  it('times intervals from flush start to flush start, and flushes after exactly the delay a running flush asks for', async () => {
    const timers = new FakeTimers();
    const calls: number[] = [];
    let release: () => void = () => undefined;
    const c = new Coalescer(
      400,
      (key) => {
        calls.push(timers.now());
        // The first flush takes 150 ms and finds it must wait 70 ms more.
        if (calls.length === 1) {
          c.touch(key, 70);
          return new Promise<void>((r) => (release = r));
        }
        return Promise.resolve();
      },
      timers,
    );
    c.touch('p');
    await timers.advance(400);
    expect(calls).toEqual([400]);
    await timers.advance(150);
    release();
    await new Promise((r) => setImmediate(r));
    await timers.advance(69);
    expect(calls).toEqual([400]);
    await timers.advance(1);
    expect(calls).toEqual([400, 620]);
    // A plain touch now: the next start is an interval after the last start (620 + 400).
    c.touch('p');
    await timers.advance(399);
    expect(calls).toEqual([400, 620]);
    await timers.advance(1);
    expect(calls).toEqual([400, 620, 1020]);
  });

  it('drops a pending flush on cancel, and reports a failing flush without stopping', async () => {
    const timers = new FakeTimers();
    const errors: string[] = [];
    let fail = true;
    const flushed: string[] = [];
    const c = new Coalescer(
      400,
      (key) => {
        if (fail) return Promise.reject(new Error('db down'));
        flushed.push(key);
        return Promise.resolve();
      },
      timers,
      (key, err) => errors.push(`${key}: ${(err as Error).message}`),
    );
    c.touch('x');
    c.cancel('x');
    await timers.advance(1000);
    expect(errors).toEqual([]);
    c.touch('x');
    await timers.advance(400);
    expect(errors).toEqual(['x: db down']);
    fail = false;
    c.touch('x');
    await timers.advance(400);
    expect(flushed).toEqual(['x']);
  });
});
