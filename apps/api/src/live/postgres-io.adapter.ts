import type { INestApplicationContext } from '@nestjs/common';
import { createAdapter } from '@socket.io/postgres-adapter';
import { Pool } from 'pg';
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
    this.pool = new Pool({ connectionString: databaseUrl, max: 3, connectionTimeoutMillis: 5000 });
    this.pool.on('error', onError);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options);
    server.adapter(
      createAdapter(this.pool, {
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
