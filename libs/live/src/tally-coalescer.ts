/** The timer functions the coalescer uses (the real ones, or a fake clock in tests). */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Coalesces "something changed" signals per key into at most one flush per `intervalMs`.
 * The first change after a quiet period flushes after `intervalMs` at the latest (never sooner than
 * `intervalMs` after the previous flush); changes while a flush runs lead to one more flush.
 * Intervals run from the start of one flush to the start of the next. `touch(key, delayMs)` asks
 * for a flush after exactly `delayMs` instead (a flush that found it must wait for another's
 * interval says how long). `cancel` drops a pending flush (the poll's final tally is written by
 * its close instead).
 */
export class Coalescer {
  private readonly pending = new Map<string, unknown>();
  private readonly running = new Set<string>();
  private readonly dirtyWhileRunning = new Set<string>();
  /** The delay asked for by a touch while the key's flush ran (the shortest). */
  private readonly askedDelay = new Map<string, number>();
  private readonly lastFlush = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly flush: (key: string) => Promise<void>,
    private readonly timers: Timers = realTimers,
    private readonly onError: (key: string, err: unknown) => void = () => undefined,
  ) {}

  touch(key: string, delayMs?: number): void {
    if (this.running.has(key)) {
      this.dirtyWhileRunning.add(key);
      if (delayMs !== undefined)
        this.askedDelay.set(key, Math.min(delayMs, this.askedDelay.get(key) ?? delayMs));
      return;
    }
    if (this.pending.has(key)) return;
    const last = this.lastFlush.get(key);
    const delay =
      delayMs !== undefined
        ? Math.max(0, delayMs)
        : last === undefined
          ? this.intervalMs
          : Math.max(0, last + this.intervalMs - this.timers.now());
    this.pending.set(
      key,
      this.timers.setTimeout(() => void this.run(key), delay),
    );
  }

  cancel(key: string): void {
    const handle = this.pending.get(key);
    if (handle !== undefined) this.timers.clearTimeout(handle);
    this.pending.delete(key);
    this.dirtyWhileRunning.delete(key);
    this.askedDelay.delete(key);
    this.lastFlush.delete(key);
  }

  cancelAll(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }

  /** Keys with a flush scheduled (for tests and shutdown). */
  get scheduled(): string[] {
    return [...this.pending.keys()];
  }

  private async run(key: string): Promise<void> {
    this.pending.delete(key);
    this.running.add(key);
    this.lastFlush.set(key, this.timers.now());
    try {
      await this.flush(key);
    } catch (err) {
      this.onError(key, err);
    } finally {
      this.running.delete(key);
      const asked = this.askedDelay.get(key);
      this.askedDelay.delete(key);
      if (this.dirtyWhileRunning.delete(key)) this.touch(key, asked);
    }
  }
}
