import { RateLimiter, TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst up to its capacity, then refuses', () => {
    const b = new TokenBucket(3, 10_000, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
  });

  it('refills continuously: capacity tokens per window', () => {
    const b = new TokenBucket(10, 10_000, 0);
    for (let i = 0; i < 10; i++) b.take(0);
    expect(b.take(999)).toBe(false); // 0.999 of a token
    expect(b.take(1000)).toBe(true); // one token after 1 s
    expect(b.take(1000)).toBe(false);
    expect(b.take(6000)).toBe(true);
  });

  it('never holds more than its capacity however long it rests', () => {
    const b = new TokenBucket(2, 1000, 0);
    expect([b.take(1e9), b.take(1e9), b.take(1e9)]).toEqual([true, true, false]);
    expect(b.isFull(2e9)).toBe(true);
  });

  it('ignores a clock that goes backwards', () => {
    const b = new TokenBucket(1, 1000, 5000);
    expect(b.take(5000)).toBe(true);
    expect(b.take(1000)).toBe(false);
  });
});

describe('RateLimiter', () => {
  it('limits each key on its own', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 10_000, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([true, true, false]);
    expect([limiter.take('b'), limiter.take('b')]).toEqual([true, true]);
    now = 5000;
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });

  it('forgets full buckets after a quiet window', () => {
    let now = 0;
    const limiter = new RateLimiter(5, 1000, () => now);
    limiter.take('a');
    limiter.take('b');
    expect(limiter.size).toBe(2);
    now = 5000;
    limiter.take('c');
    expect(limiter.size).toBe(1);
  });
});
