/**
 * A token bucket: holds up to `capacity` tokens and refills `capacity` tokens per `windowMs`,
 * continuously. Each event takes one token; without a token the event is refused. Pure: the
 * caller passes the clock.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly capacity: number,
    readonly windowMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Takes a token when there is one; returns whether the event may proceed. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True once the bucket is full again (it can be forgotten). */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.capacity;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.capacity) / this.windowMs);
    this.updatedAt = now;
  }
}

/** One bucket per key (e.g. per account), forgetting full buckets so memory stays bounded. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private lastSweep: number;

  constructor(
    readonly perWindow: number,
    readonly windowMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.lastSweep = clock();
  }

  take(key: string): boolean {
    const now = this.clock();
    if (now - this.lastSweep > this.windowMs) this.sweep(now);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.perWindow, this.windowMs, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
  }
}
