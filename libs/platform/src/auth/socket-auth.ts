import type { Socket } from 'socket.io';
import type { AppConfig } from '../config/app-config';
import { DomainException } from '../errors/domain.exception';
import { pickLocale } from '../i18n/messages';
import type { TokenService } from './token.service';

/**
 * socket.io handshake authentication (`server.use(socketAuth(tokens, config))`): a socket
 * without a valid token (or from a disallowed origin) never connects. Puts `actor`, `exp` and
 * `locale` in `socket.data`.
 */
export function socketAuth(
  tokens: TokenService,
  config: AppConfig,
): (socket: Socket, next: (err?: Error) => void) => void {
  return (socket, next) => {
    try {
      const origin = socket.handshake.headers.origin;
      if (config.liveOrigins.length > 0 && origin && !config.liveOrigins.includes(origin)) {
        throw new DomainException('FORBIDDEN', `origin ${origin} is not allowed`);
      }
      const auth = socket.handshake.auth as { token?: unknown };
      const verified = tokens.verify(typeof auth.token === 'string' ? auth.token : null);
      socket.data = {
        actor: verified.actor,
        exp: verified.exp,
        locale: pickLocale(socket.handshake.headers['accept-language']),
      };
      next();
    } catch (err) {
      next(new Error(err instanceof DomainException ? err.code : 'UNAUTHORIZED'));
    }
  };
}
