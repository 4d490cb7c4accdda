import type { INestApplicationContext } from '@nestjs/common';
import { createAdapter } from '@socket.io/postgres-adapter';
import { Pool, type PoolClient } from 'pg';
import type { Server, ServerOptions } from 'socket.io';
import { OriginCheckedIoAdapter } from './origin-io.adapter';

/** The table the adapter keeps payloads over NOTIFY's 8000 bytes in (migration SocketIoAttachments). */
export const SOCKET_IO_ATTACHMENTS = 'socket_io_attachments';

/**
 * socket.io across nodes through the database they share (`@socket.io/postgres-adapter`:
 * LISTEN/NOTIFY, a heartbeat per node): what one node asks of a room — disconnect an account's
 * sockets, fetch a meeting's sockets — reaches every node. Live pushes stay local
 * (`server.local`): each node pushes the event log it follows to its own sockets. The adapter
 * has its own small pool (one connection listens, one notifies), apart from the unit of work's.
 * The origin policy (own origin + LIVE_ORIGINS) is the parent's, `OriginCheckedIoAdapter`.
 */
export class PostgresIoAdapter extends OriginCheckedIoAdapter {
  private readonly pool: Pool;

  constructor(
    app: INestApplicationContext,
    databaseUrl: string,
    liveOrigins: readonly string[],
    private readonly onError: (err: Error) => void,
  ) {
    super(app, liveOrigins);
    this.pool = new Pool({
      connectionString: databaseUrl,
      max: 3,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    this.pool.on('error', onError);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options);
    server.adapter(
      createAdapter(givesBackLostClients(this.pool, this.onError), {
        tableName: SOCKET_IO_ATTACHMENTS,
        heartbeatInterval: 2000,
        heartbeatTimeout: 6000,
        errorHandler: this.onError,
      }),
    );
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await this.pool.end();
  }
}

/**
 * The pool as the adapter sees it. The adapter checks one client out for good to LISTEN on, and
 * reconnects when that client ends; but pg-pool watches only idle clients: a checked-out client
 * whose server goes away (PostgreSQL killed or restarted: `57P01`, a reset) emits an `error`
 * nobody listens to, which would end the process, and it would keep its pool slot forever. Here
 * such a client is given back to the pool as broken (the pool closes it and frees the slot); the
 * adapter then sees it end and listens again on a new one once the server is back.
 */
export function givesBackLostClients(pool: Pool, onError: (err: Error) => void): Pool {
  const connect = async (): Promise<PoolClient> => {
    const client = await pool.connect();
    const release = client.release.bind(client);
    let released = false;
    const giveBack = (err?: Error | boolean): void => {
      if (released) return;
      released = true;
      release(err);
    };
    // The adapter releases its client on close; after a loss that was done already.
    client.release = giveBack;
    client.on('error', (err: Error) => {
      onError(err);
      giveBack(err);
    });
    client.on('end', () => giveBack(true));
    return client;
  };
  return new Proxy(pool, {
    get(target, prop) {
      if (prop === 'connect') return connect;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
