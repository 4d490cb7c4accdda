import type { Ack } from '@liexi/contracts';
import type { Timers, Wire } from './wire';

/** A socket stand-in for the clients' unit tests: requests wait until the test answers them. */
export class FakeWire implements Wire {
  connected = false;
  readonly requests: {
    event: string;
    payload: Record<string, unknown>;
    resolve: (ack: Ack<unknown>) => void;
    reject: (err: Error) => void;
  }[] = [];
  private readonly connects: (() => void)[] = [];
  private readonly disconnects: ((reason: string) => void)[] = [];
  private readonly pushes = new Map<string, ((batch: unknown) => void)[]>();

  onConnect(fn: () => void): void {
    this.connects.push(fn);
  }
  onDisconnect(fn: (reason: string) => void): void {
    this.disconnects.push(fn);
  }
  onPush(event: string, fn: (batch: unknown) => void): void {
    this.pushes.set(event, [...(this.pushes.get(event) ?? []), fn]);
  }
  /** Requests taken by the test and not answered yet: a drop fails them too. */
  private readonly inFlight = new Set<(err: Error) => void>();

  request<T>(event: string, payload: unknown): Promise<Ack<T>> {
    return new Promise((resolve, reject) => {
      const done = (): boolean => this.inFlight.delete(reject);
      this.inFlight.add(reject);
      this.requests.push({
        event,
        payload: payload as Record<string, unknown>,
        resolve: (ack) => done() && resolve(ack as Ack<T>),
        reject: (err) => done() && reject(err),
      });
    });
  }

  connect(): void {
    this.connected = true;
    for (const fn of this.connects) fn();
  }
  /** The connection drops: requests in flight fail, as socket.io fails their acks. */
  drop(): void {
    this.connected = false;
    this.requests.splice(0);
    for (const reject of [...this.inFlight]) reject(new Error('disconnected'));
    this.inFlight.clear();
    for (const fn of this.disconnects) fn('transport close');
  }
  push(event: string, batch: unknown): void {
    for (const fn of this.pushes.get(event) ?? []) fn(batch);
  }
  /** Takes the oldest request not yet answered. */
  next(): {
    event: string;
    payload: Record<string, unknown>;
    resolve: (ack: Ack<unknown>) => void;
    reject: (e: Error) => void;
  } {
    const r = this.requests.shift();
    if (!r) throw new Error('no request was sent');
    return r;
  }
}

/** Timers the test fires by hand. */
export class ManualTimers implements Timers {
  private queue: { fn: () => void; handle: number }[] = [];
  private n = 0;
  setTimeout(fn: () => void): unknown {
    const handle = ++this.n;
    this.queue.push({ fn, handle });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.handle !== handle);
  }
  fireAll(): void {
    const due = this.queue;
    this.queue = [];
    for (const t of due) t.fn();
  }
}

/** Lets awaited promises settle. */
export const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
