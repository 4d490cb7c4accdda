import type {
  Ack,
  ChannelItem,
  LiveEvent,
  StreamedEvent,
  SupervisionJoinResult,
  TaskChangedEvent,
} from '@liexi/contracts';
import { realTimers, RETRYABLE, type Timers, type Wire } from './wire';

export type ChannelLink = 'connecting' | 'joining' | 'live' | 'offline';

export interface SupervisionHandlers {
  /** The items as held now (after a snapshot or applied changes). */
  items: (items: ReadonlyMap<string, ChannelItem>) => void;
  /** Changes applied (each once, by version): the figures they move may be fetched again. */
  changed: (changes: TaskChangedEvent[]) => void;
  link: (state: ChannelLink) => void;
}

/**
 * The `supervision` channel of `/supervision` (README "Live channels"): a cursor per unit
 * stream; per stream, drop `seq ≤ seqs[stream]`, apply `seqs[stream] + 1`, rejoin with
 * `afterSeqs` on a gap or after a reconnect; buffer pushes until the join ack; apply a change
 * once, when its `version` is above the one held for that item.
 */
export class SupervisionClient {
  readonly seqs: Record<string, number> = {};
  private readonly held = new Map<string, ChannelItem>();
  private joined = false;
  private joining = false;
  private round = 0;
  private buffer: { stream: string; events: LiveEvent[] }[] = [];
  private timer: unknown = null;

  constructor(
    private readonly wire: Wire,
    private readonly on: SupervisionHandlers,
    private readonly timers: Timers = realTimers,
  ) {}

  start(): void {
    this.wire.onPush('channel.events', (b) =>
      this.onPush(b as { channel: string; stream: string; events: LiveEvent[] }),
    );
    this.wire.onConnect(() => void this.join());
    this.wire.onDisconnect(() => {
      this.joining = false;
      this.round++;
      this.on.link('offline');
    });
    if (this.wire.connected) void this.join();
  }

  stop(): void {
    this.timers.clearTimeout(this.timer);
  }

  async join(): Promise<void> {
    if (!this.wire.connected) return;
    const round = ++this.round;
    this.joining = true;
    this.buffer = [];
    this.on.link('joining');
    let ack: Ack<SupervisionJoinResult>;
    try {
      ack = await this.wire.request<SupervisionJoinResult>(
        'channel.join',
        { channel: 'supervision', ...(this.joined ? { afterSeqs: { ...this.seqs } } : {}) },
        10_000,
      );
    } catch {
      if (round === this.round) this.retry();
      return;
    }
    if (round !== this.round) return;
    this.joining = false;
    if (!ack.ok) {
      if (RETRYABLE.has(ack.error.code)) this.retry();
      else this.on.link('offline');
      return;
    }
    const r = ack.data;
    const changes: TaskChangedEvent[] = [];
    if (r.snapshot) {
      this.held.clear();
      for (const item of r.snapshot.items) this.held.set(item.id, item);
    } else {
      for (const e of [...r.events].sort((a, b) => a.seq - b.seq)) {
        const c = this.take(e);
        if (c) changes.push(c);
      }
    }
    Object.assign(this.seqs, r.seqs);
    this.joined = true;
    this.on.link('live');
    const buffered = this.buffer;
    this.buffer = [];
    this.publish(changes, r.snapshot !== undefined);
    for (const b of buffered) this.apply(b.stream, b.events);
  }

  private retry(): void {
    this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => void this.join(), 1000);
  }

  private onPush(batch: { channel: string; stream: string; events: LiveEvent[] }): void {
    if (batch.channel !== 'supervision') return;
    if (this.joining || !this.joined) this.buffer.push({ stream: batch.stream, events: batch.events });
    else this.apply(batch.stream, batch.events);
  }

  private apply(stream: string, events: readonly LiveEvent[]): void {
    const changes: TaskChangedEvent[] = [];
    let gap = false;
    for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
      const at = this.seqs[stream] ?? 0;
      if (e.seq <= at) continue;
      if (e.seq > at + 1) {
        gap = true;
        break;
      }
      this.seqs[stream] = e.seq;
      const c = this.take({ ...e, stream });
      if (c) changes.push(c);
    }
    this.publish(changes, false);
    if (gap) void this.join();
  }

  /** Applies a change when its version is above the one held; returns it when applied. */
  private take(e: StreamedEvent): TaskChangedEvent | null {
    if (e.type !== 'task.changed') return null;
    const c = e.data as TaskChangedEvent;
    const held = this.held.get(c.taskId);
    if (held && held.version >= c.version) return null;
    this.held.set(c.taskId, {
      id: c.taskId,
      problem: held?.problem ?? '',
      state: c.state,
      leadUnitId: c.leadUnitId,
      deadline: c.deadline,
      light: held?.light ?? null,
      reopenCount: c.reopenCount,
      version: c.version,
    });
    return c;
  }

  private publish(changes: TaskChangedEvent[], snapshot: boolean): void {
    if (changes.length || snapshot) this.on.items(this.held);
    if (changes.length) this.on.changed(changes);
  }
}
