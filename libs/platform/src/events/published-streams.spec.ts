import { PublishedStreams } from './published-streams';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued promise callback run (setImmediate comes after the microtask queue). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A publisher that records the `last` it was called with and publishes up to `upto`. */
function publisher(upto: number): { calls: number[]; publish: (last: number) => Promise<number> } {
  const calls: number[] = [];
  return {
    calls,
    publish: (last) => {
      calls.push(last);
      return Promise.resolve(upto);
    },
  };
}

describe('PublishedStreams', () => {
  it('starts a stream it does not know at -1', () => {
    const streams = new PublishedStreams();
    expect(streams.lastOf('meeting:a')).toBe(-1);
    expect(streams.size).toBe(0);
    expect(streams.known()).toEqual([]);
  });

  describe('per-stream chains', () => {
    it('a slow publication of one stream does not delay another stream', async () => {
      const streams = new PublishedStreams();
      const slow = deferred<number>();
      const a: number[] = [];
      const b: number[] = [];
      streams.enqueue('meeting:a', 1, (last) => {
        a.push(last);
        return slow.promise;
      });
      streams.enqueue('meeting:b', 1, (last) => {
        b.push(last);
        return Promise.resolve(1);
      });
      await settle();
      expect(a).toEqual([-1]);
      expect(b).toEqual([-1]);
      expect(streams.lastOf('meeting:b')).toBe(1);
      expect(streams.lastOf('meeting:a')).toBe(-1);

      slow.resolve(1);
      await settle();
      expect(streams.lastOf('meeting:a')).toBe(1);
    });

    it('publishes one stream in order: the next publication waits for the one before', async () => {
      const streams = new PublishedStreams();
      const first = deferred<number>();
      const calls: number[] = [];
      streams.enqueue('s', 1, (last) => {
        calls.push(last);
        return first.promise;
      });
      streams.enqueue('s', 2, (last) => {
        calls.push(last);
        return Promise.resolve(2);
      });
      await settle();
      expect(calls).toEqual([-1]);

      first.resolve(1);
      await settle();
      expect(calls).toEqual([-1, 1]);
      expect(streams.lastOf('s')).toBe(2);
    });

    it('publishes each seq once: a publication that covered later seqs makes theirs do nothing', async () => {
      const streams = new PublishedStreams();
      const { calls, publish } = publisher(3);
      streams.enqueue('s', 1, publish);
      streams.enqueue('s', 2, publish);
      streams.enqueue('s', 3, publish);
      await settle();
      expect(calls).toEqual([-1]);
      expect(streams.lastOf('s')).toBe(3);
    });

    it('does nothing for a seq already published or already queued', async () => {
      const streams = new PublishedStreams();
      const pending = deferred<number>();
      const calls: number[] = [];
      const publish = (last: number): Promise<number> => {
        calls.push(last);
        return pending.promise;
      };
      streams.enqueue('s', 5, publish);
      streams.enqueue('s', 5, publish);
      streams.enqueue('s', 4, publish);
      await settle();
      expect(calls).toEqual([-1]);

      pending.resolve(5);
      await settle();
      streams.enqueue('s', 5, publish);
      streams.enqueue('s', 3, publish);
      await settle();
      expect(calls).toEqual([-1]);
      expect(streams.lastOf('s')).toBe(5);
    });
  });

  describe('followers', () => {
    it('follow sets the start seq of a stream this node has not published', async () => {
      const streams = new PublishedStreams();
      streams.follow('s', 10);
      expect(streams.lastOf('s')).toBe(10);
      expect(streams.known()).toEqual(['s']);

      const { calls, publish } = publisher(11);
      streams.enqueue('s', 10, publish);
      await settle();
      expect(calls).toEqual([]);

      streams.enqueue('s', 11, publish);
      await settle();
      expect(calls).toEqual([10]);
      expect(streams.lastOf('s')).toBe(11);
    });

    it('follow does not move the start of a stream already published', async () => {
      const streams = new PublishedStreams();
      streams.enqueue('s', 7, publisher(7).publish);
      await settle();
      streams.follow('s', 3);
      expect(streams.lastOf('s')).toBe(7);
    });

    it('unfollow forgets a stream once its last follower has gone', () => {
      const streams = new PublishedStreams();
      streams.follow('s', 4);
      streams.follow('s', 4);
      streams.unfollow('s');
      expect(streams.lastOf('s')).toBe(4);
      expect(streams.size).toBe(1);
      streams.unfollow('s');
      expect(streams.lastOf('s')).toBe(-1);
      expect(streams.size).toBe(0);
      expect(streams.known()).toEqual([]);
    });

    it('unfollow of a stream it does not know does nothing', () => {
      const streams = new PublishedStreams();
      streams.follow('kept', 1);
      streams.unfollow('other');
      expect(streams.size).toBe(1);
      expect(streams.known()).toEqual(['kept']);
    });

    it('unfollow keeps a stream while a publication of it is under way', async () => {
      const streams = new PublishedStreams();
      const pending = deferred<number>();
      streams.follow('s', 1);
      streams.enqueue('s', 2, () => pending.promise);
      streams.unfollow('s');
      expect(streams.size).toBe(1);
      pending.resolve(2);
      await settle();
      expect(streams.lastOf('s')).toBe(2);
    });
  });

  describe('bounded', () => {
    it('evicts streams nobody follows, oldest first, to stay within max', async () => {
      const streams = new PublishedStreams(2);
      streams.enqueue('a', 1, publisher(1).publish);
      streams.enqueue('b', 1, publisher(1).publish);
      await settle();
      expect(streams.size).toBe(2);

      streams.enqueue('c', 1, publisher(1).publish);
      await settle();
      expect(streams.size).toBe(2);
      expect(streams.lastOf('a')).toBe(-1);
      expect(streams.lastOf('b')).toBe(1);
      expect(streams.lastOf('c')).toBe(1);
    });

    it('never evicts a followed stream or one being published', async () => {
      const streams = new PublishedStreams(3);
      const pending = deferred<number>();
      streams.follow('followed', 5);
      streams.enqueue('busy', 1, () => pending.promise);
      streams.enqueue('idle', 1, publisher(1).publish);
      await settle();
      expect(streams.size).toBe(3);

      streams.enqueue('new', 1, publisher(1).publish);
      await settle();
      expect(streams.size).toBe(3);
      expect(streams.lastOf('idle')).toBe(-1);
      expect(streams.lastOf('followed')).toBe(5);
      expect(streams.known()).toContain('followed');
      expect(streams.lastOf('new')).toBe(1);

      pending.resolve(1);
      await settle();
      expect(streams.lastOf('busy')).toBe(1);
    });

    it('stays at max over many idle streams', async () => {
      const streams = new PublishedStreams(10);
      for (let i = 0; i < 100; i++) {
        streams.enqueue(`s${i}`, 1, publisher(1).publish);
        await settle();
        expect(streams.size).toBeLessThanOrEqual(10);
      }
      expect(streams.lastOf('s99')).toBe(1);
      expect(streams.lastOf('s90')).toBe(1);
      expect(streams.lastOf('s89')).toBe(-1);
      expect(streams.lastOf('s0')).toBe(-1);
    });
  });

  describe('failures', () => {
    it('a failed publication is reported and leaves the seq for the next notice to retry', async () => {
      const errors: [string, unknown][] = [];
      const streams = new PublishedStreams(100, (stream, err) => errors.push([stream, err]));
      const boom = new Error('read failed');
      let fail = true;
      const calls: number[] = [];
      const publish = (last: number): Promise<number> => {
        calls.push(last);
        return fail ? Promise.reject(boom) : Promise.resolve(3);
      };
      streams.follow('s', 1);
      streams.enqueue('s', 3, publish);
      await settle();
      expect(errors).toEqual([['s', boom]]);
      expect(streams.lastOf('s')).toBe(1);

      fail = false;
      streams.enqueue('s', 3, publish);
      await settle();
      expect(calls).toEqual([1, 1]);
      expect(streams.lastOf('s')).toBe(3);
      expect(errors).toHaveLength(1);
    });

    it('a publication that fell short of its seq is retried by the next notice', async () => {
      const streams = new PublishedStreams();
      const calls: number[] = [];
      let reach = 2;
      const publish = (last: number): Promise<number> => {
        calls.push(last);
        return Promise.resolve(reach);
      };
      streams.follow('s', 0);
      streams.enqueue('s', 4, publish);
      await settle();
      expect(streams.lastOf('s')).toBe(2);

      reach = 4;
      streams.enqueue('s', 4, publish);
      await settle();
      expect(calls).toEqual([0, 2]);
      expect(streams.lastOf('s')).toBe(4);
    });

    it('a failure of one stream does not stop the chain of another', async () => {
      const streams = new PublishedStreams(100, () => undefined);
      streams.enqueue('bad', 1, () => Promise.reject(new Error('x')));
      streams.enqueue('good', 1, publisher(1).publish);
      await settle();
      expect(streams.lastOf('bad')).toBe(-1);
      expect(streams.lastOf('good')).toBe(1);
    });
  });
});

// state() inserts the new stream, then evict() walks the map oldest first: when every older
// stream is followed or busy, the only candidate is the stream just inserted (followers 0,
// busy 0 at that moment), so it is deleted and the caller works on an orphan object.
describe('PublishedStreams when every other stream is followed or busy', () => {
  it('keeps a stream followed after the map is full', () => {
    const streams = new PublishedStreams(2);
    streams.follow('a', 1);
    streams.follow('b', 1);
    streams.follow('c', 7);
    expect(streams.known()).toContain('c');
    expect(streams.lastOf('c')).toBe(7);
  });

  it('still publishes a stream in order', async () => {
    const streams = new PublishedStreams(1);
    streams.follow('a', 0);
    let release!: (n: number) => void;
    const calls: number[] = [];
    streams.enqueue('x', 1, (last) => {
      calls.push(last);
      return new Promise<number>((r) => (release = r));
    });
    streams.enqueue('x', 2, (last) => {
      calls.push(last);
      return Promise.resolve(2);
    });
    await settle();
    expect(calls).toEqual([-1]); // the second must wait for the first
    release(1);
    await settle();
    expect(calls).toEqual([-1, 1]);
  });
});
