import { Client } from 'pg';

type Callback = (err: Error | null, res?: unknown) => void;

/**
 * A pg client that does not come back from a read timeout half-alive. When `query_timeout`
 * fires, pg answers the caller but leaves the statement on the wire: the next unit of work
 * given this connection by the pool would queue behind it. This client destroys the
 * connection instead, so the pool replaces it and every later wait starts clean.
 */
export class BoundedClient extends Client {
  override query(...args: unknown[]): never {
    const last = args.at(-1);
    if (typeof last === 'function') {
      const cb = last as Callback;
      args[args.length - 1] = (err: Error | null, res?: unknown) => {
        if (err) this.dropIfTimedOut(err);
        cb(err, res);
      };
      return (Client.prototype.query as (...a: unknown[]) => never).apply(this, args);
    }
    const result = (Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) {
      return result.catch((err: unknown) => {
        if (err instanceof Error) this.dropIfTimedOut(err);
        throw err;
      }) as never;
    }
    return result as never;
  }

  private dropIfTimedOut(err: Error): void {
    if (err.message !== 'Query read timeout') return;
    const stream = (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
    stream?.destroy();
  }
}
