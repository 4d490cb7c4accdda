import type { Ack } from '@liexi/contracts';
import type { Socket } from 'socket.io-client';

/**
 * What the live clients need of a socket.io connection: connect/disconnect notices, pushes, and
 * a request with an ack that fails after a timeout or when the connection drops. The clients are
 * written against this, so their algorithm is unit-tested with a fake.
 */
export interface Wire {
  readonly connected: boolean;
  onConnect: (fn: () => void) => void;
  onDisconnect: (fn: (reason: string) => void) => void;
  onPush: (event: string, fn: (batch: unknown) => void) => void;
  request<T>(event: string, payload: unknown, timeoutMs: number): Promise<Ack<T>>;
}

export function socketWire(socket: Socket): Wire {
  return {
    get connected() {
      return socket.connected;
    },
    onConnect: (fn) => void socket.on('connect', fn),
    onDisconnect: (fn) => void socket.on('disconnect', (reason) => fn(String(reason))),
    onPush: (event, fn) => void socket.on(event, fn),
    request: <T>(event: string, payload: unknown, timeoutMs: number) =>
      socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack<T>>,
  };
}

/** Errors worth trying again with the same clientKey (the README's "retryable"). */
export const RETRYABLE = new Set(['UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL']);

export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}
export const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
};
