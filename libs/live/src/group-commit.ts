/** The result of one item of a batch: its value, or the error only this item gets. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommitOptions<I, R> {
  /** How long the first item of a batch waits for company (0: the next turn of the event loop). */
  windowMs: number;
  /** A batch is written as soon as it holds this many items. */
  maxSize: number;
  /** Batches written at once (each holds one pool connection while it commits). */
  maxInFlight: number;
  /**
   * Writes a batch in one transaction and answers every item, in order. Throwing fails the
   * whole batch: each item is then written alone, so one bad item never fails its batch-mates.
   */
  write: (items: I[]) => Promise<Outcome<R>[]>;
  /**
   * Whether a failed batch is worth writing again item by item (default: always). A database
   * that is out of reach would only fail each item again after another wait: answer at once.
   */
  retryAlone?: (err: unknown) => boolean;
}

interface Waiting<I, R> {
  item: I;
  resolve: (value: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: what arrives together is written together. Items queue until the window
 * closes or the batch is full, then one `write` stores them with multi-row statements in one
 * transaction and one commit, and each caller is answered with its own outcome after that
 * commit. While batches are committing, newcomers gather for the next one, so under load the
 * batches grow by themselves and the commits per item fall.
 */
export class GroupCommit<I, R> {
  private queue: Waiting<I, R>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private stats = { batches: 0, items: 0, largest: 0, fallbacks: 0 };

  constructor(private readonly opts: GroupCommitOptions<I, R>) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.opts.maxSize) this.flushNow();
      else this.timer ??= setTimeout(() => this.flushNow(), this.opts.windowMs);
    });
  }

  /** Batches written, items written, the largest batch, and batches that fell back to one by one. */
  get figures(): { batches: number; items: number; largest: number; fallbacks: number } {
    return { ...this.stats };
  }

  /** Items waiting for a batch. */
  get pending(): number {
    return this.queue.length;
  }

  private flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Every slot busy: the queue keeps growing and goes out when a batch finishes.
    while (this.queue.length > 0 && this.inFlight < this.opts.maxInFlight) {
      const batch = this.queue.splice(0, this.opts.maxSize);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.flushNow();
      });
    }
  }

  private async run(batch: Waiting<I, R>[]): Promise<void> {
    this.stats.batches++;
    this.stats.items += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    let outcomes: Outcome<R>[];
    try {
      outcomes = await this.opts.write(batch.map((w) => w.item));
    } catch (err) {
      if (batch.length === 1 || this.opts.retryAlone?.(err) === false) {
        for (const w of batch) w.reject(err);
        return;
      }
      this.stats.fallbacks++;
      outcomes = [];
      for (const w of batch) {
        try {
          outcomes.push(...(await this.opts.write([w.item])));
        } catch (single) {
          outcomes.push({ ok: false, error: single });
        }
      }
    }
    batch.forEach((w, i) => {
      const o = outcomes[i];
      if (!o) w.reject(new Error('group commit: the writer gave no outcome for an item'));
      else if (o.ok) w.resolve(o.value);
      else w.reject(o.error);
    });
  }
}
