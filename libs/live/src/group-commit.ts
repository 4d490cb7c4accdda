/** The result of one item of a batch: its value, or the error only this item gets. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommitOptions<I, R> {
  /** How long the first item of an idle lane waits for company (0: it goes once the current event is handled). */
  windowMs: number;
  /** A batch is written as soon as it holds this many items. */
  maxSize: number;
  /** Batches written at once over all lanes (each holds one pool connection while it commits). */
  maxInFlight: number;
  /**
   * The lane of an item (e.g. its meeting): a lane writes one batch at a time, so batches of
   * one meeting never queue on each other's locks, while other lanes write in parallel.
   */
  lane?: (item: I) => string;
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

interface Lane<I, R> {
  key: string;
  queue: Waiting<I, R>[];
  busy: boolean;
  ready: boolean;
  timer: NodeJS.Timeout | null;
}

/**
 * Group commit: what arrives together is written together. An idle lane writes its first item
 * after `windowMs` (with whatever came meanwhile); items that arrive while a lane's batch is
 * committing gather and go out as the next batch the moment it is done. So at low load each
 * write goes alone at once, and under load the batches grow by themselves and the commits per
 * item fall. Each caller is answered with its own outcome after the commit.
 */
export class GroupCommit<I, R> {
  private readonly lanes = new Map<string, Lane<I, R>>();
  /** Lanes with items, waiting for a free slot (round robin). */
  private readonly ready: Lane<I, R>[] = [];
  private inFlight = 0;
  private stats = { batches: 0, items: 0, largest: 0, fallbacks: 0 };

  constructor(private readonly opts: GroupCommitOptions<I, R>) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const key = this.opts.lane?.(item) ?? '';
      let lane = this.lanes.get(key);
      if (!lane) {
        lane = { key, queue: [], busy: false, ready: false, timer: null };
        this.lanes.set(key, lane);
      }
      lane.queue.push({ item, resolve, reject });
      if (lane.busy || lane.ready) return; // goes with the lane's next batch
      if (lane.queue.length >= this.opts.maxSize) this.schedule(lane);
      else if (this.opts.windowMs === 0) {
        // No window: the batch starts once the current event is handled, so the database works
        // while a burst is still being read off the sockets (timers would wait for all of it).
        if (lane.queue.length === 1) {
          const l = lane;
          queueMicrotask(() => this.schedule(l));
        }
      } else if (!lane.timer) {
        const l = lane;
        l.timer = setTimeout(() => {
          l.timer = null;
          this.schedule(l);
        }, this.opts.windowMs);
      }
    });
  }

  /** Batches written, items written, the largest batch, and batches that fell back to one by one. */
  get figures(): { batches: number; items: number; largest: number; fallbacks: number } {
    return { ...this.stats };
  }

  /** Items waiting for a batch. */
  get pending(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.queue.length;
    return n;
  }

  private schedule(lane: Lane<I, R>): void {
    if (lane.timer) clearTimeout(lane.timer);
    lane.timer = null;
    if (lane.ready || lane.busy) return;
    lane.ready = true;
    this.ready.push(lane);
    this.drain();
  }

  private drain(): void {
    while (this.inFlight < this.opts.maxInFlight && this.ready.length > 0) {
      const lane = this.ready.shift() as Lane<I, R>;
      lane.ready = false;
      const batch = lane.queue.splice(0, this.opts.maxSize);
      if (batch.length === 0) continue;
      lane.busy = true;
      this.inFlight++;
      void this.run(batch).finally(() => {
        lane.busy = false;
        this.inFlight--;
        // What gathered during the commit has waited enough: it goes next, in turn.
        if (lane.queue.length > 0) this.schedule(lane);
        else if (!lane.timer) this.lanes.delete(lane.key);
        this.drain();
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
