import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { originAllowed } from '@liexi/platform';
import type { IncomingMessage } from 'node:http';
import type { Server, ServerOptions } from 'socket.io';

const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * The socket.io server of every gateway, with one origin policy (the api's own origin plus
 * LIVE_ORIGINS, `originAllowed`) for the CORS answer of the polling transport and for every
 * engine.io handshake (polling and WebSocket upgrade alike): a disallowed origin gets neither
 * `Access-Control-Allow-Origin` nor a session. The namespaces check it again with the token.
 */
export class OriginCheckedIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly liveOrigins: readonly string[],
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const allowed = (req: Pick<IncomingMessage, 'headers'>): boolean =>
      originAllowed(header(req.headers.origin), header(req.headers.host), this.liveOrigins);
    const policy: Partial<ServerOptions> = {
      cors: (req, callback) =>
        callback(null, {
          origin: allowed(req) ? (header(req.headers.origin) ?? false) : false,
          credentials: true,
        }),
      allowRequest: (req, callback) =>
        allowed(req) ? callback(null, true) : callback('origin not allowed', false),
    };
    return super.createIOServer(port, { ...options, ...policy }) as Server;
  }
}
