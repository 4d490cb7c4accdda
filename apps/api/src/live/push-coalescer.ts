interface Pending<E> {
  events: E[];
  timer: NodeJS.Timeout | null;
  last: number;
}

/**
 * Coalesces the pushes of a room: at most one emit per `intervalMs` per room. The first event
 * after a quiet spell leaves at once; events arriving while the room's interval runs go out
 * together at its end, in the order they came. Fan-out, not the database, is what limits a
 * meeting with hundreds of tablets: one emit of 20 events costs about what one of 1 costs.
 */
export class PushCoalescer<E> {
  private readonly rooms = new Map<string, Pending<E>>();

  constructor(
    private readonly intervalMs: number,
    private readonly emit: (room: string, events: E[]) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  add(room: string, event: E): void {
    let p = this.rooms.get(room);
    if (!p) {
      if (this.rooms.size >= 1000) this.forgetQuietRooms();
      p = { events: [], timer: null, last: -Infinity };
      this.rooms.set(room, p);
    }
    p.events.push(event);
    if (p.timer) return;
    const wait = p.last + this.intervalMs - this.now();
    if (wait <= 0) this.flush(room, p);
    else p.timer = setTimeout(() => this.flush(room, p), wait);
  }

  /** Sends what is pending now and stops the timers. */
  stop(): void {
    for (const [room, p] of this.rooms) {
      if (p.timer) clearTimeout(p.timer);
      if (p.events.length > 0) this.flush(room, p);
    }
    this.rooms.clear();
  }

  /** Rooms with nothing pending whose interval has passed behave as new ones: forget them. */
  private forgetQuietRooms(): void {
    const now = this.now();
    for (const [room, p] of this.rooms)
      if (!p.timer && p.events.length === 0 && now - p.last >= this.intervalMs) this.rooms.delete(room);
  }

  private flush(room: string, p: Pending<E>): void {
    p.timer = null;
    const events = p.events;
    p.events = [];
    p.last = this.now();
    if (events.length > 0) this.emit(room, events);
  }
}
