interface StreamState {
  /** Last seq published on this node (-1: none yet, the stream starts at its next event). */
  last: number;
  /** Highest seq a publication is queued for. */
  target: number;
  chain: Promise<void>;
  /** Local sockets following the stream. */
  followers: number;
  /** Publications queued and not finished. */
  busy: number;
}

/**
 * Per-stream publication bookkeeping of one node: each stream has its own promise chain (a
 * slow read of one meeting never holds another back) and remembers the last seq it published.
 * The map is bounded: streams nobody on this node follows are forgotten oldest first once
 * there are more than `max`.
 */
export class PublishedStreams {
  private readonly states = new Map<string, StreamState>();

  constructor(
    private readonly max = 10_000,
    private readonly onError: (stream: string, err: unknown) => void = () => undefined,
  ) {}

  get size(): number {
    return this.states.size;
  }

  lastOf(stream: string): number {
    return this.states.get(stream)?.last ?? -1;
  }

  /** Whether a socket of this node follows `stream`. */
  isFollowed(stream: string): boolean {
    return (this.states.get(stream)?.followers ?? 0) > 0;
  }

  /** Streams with local followers (what a catch-up must look at). */
  known(): string[] {
    return [...this.states].filter(([, s]) => s.followers > 0 || s.last >= 0).map(([k]) => k);
  }

  follow(stream: string, seq: number): void {
    const s = this.state(stream);
    s.followers++;
    if (s.last < 0) {
      s.last = seq;
      s.target = Math.max(s.target, seq);
    }
  }

  unfollow(stream: string): void {
    const s = this.states.get(stream);
    if (!s) return;
    s.followers = Math.max(0, s.followers - 1);
    if (s.followers === 0 && s.busy === 0) this.states.delete(stream);
  }

  /**
   * Queues publishing `stream` up to `seq` on the stream's chain; `publish` gets the last
   * published seq and returns the new one. Nothing is queued for a seq already covered.
   */
  enqueue(stream: string, seq: number, publish: (last: number) => Promise<number>): void {
    const s = this.state(stream);
    if (seq <= s.last || seq <= s.target) return;
    s.target = seq;
    s.busy++;
    s.chain = s.chain
      .then(async () => {
        if (seq > s.last) s.last = await publish(s.last);
      })
      .catch((err: unknown) => this.onError(stream, err))
      .finally(() => {
        s.busy--;
        if (s.target < s.last) s.target = s.last;
        // A publication that could not reach `seq` leaves the target for the next notice to retry.
        if (s.last < seq && s.target === seq) s.target = s.last;
      });
  }

  private state(stream: string): StreamState {
    let s = this.states.get(stream);
    if (s) return s;
    s = { last: -1, target: -1, chain: Promise.resolve(), followers: 0, busy: 0 };
    this.states.set(stream, s);
    if (this.states.size > this.max) this.evict(stream);
    return s;
  }

  /** Never the stream just added: its caller is about to follow or publish it. */
  private evict(keep: string): void {
    for (const [key, s] of this.states) {
      if (this.states.size <= this.max) return;
      if (key !== keep && s.followers === 0 && s.busy === 0) this.states.delete(key);
    }
  }
}
