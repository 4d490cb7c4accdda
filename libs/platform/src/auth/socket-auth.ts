import type { Socket } from 'socket.io';
import type { AppConfig } from '../config/app-config';
import { DomainException } from '../errors/domain.exception';
import { pickLocale } from '../i18n/messages';
import type { TokenService } from './token.service';

/**
 * socket.io handshake authentication (`server.use(socketAuth(tokens, config))`): a socket
 * without a valid token (or from a disallowed origin) never connects. Puts `actor`, `exp` and
 * `locale` in `socket.data`, and drops the socket when its token expires (expiry is honoured on
 * open sockets; the guard also refuses events from an expired one).
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
      const timer = setTimeout(() => socket.disconnect(true), Math.max(0, verified.exp * 1000 - Date.now()));
      socket.once('disconnect', () => clearTimeout(timer));
      next();
    } catch (err) {
      next(new Error(err instanceof DomainException ? err.code : 'UNAUTHORIZED'));
    }
  };
}
