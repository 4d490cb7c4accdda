import type { Socket } from 'socket.io';
import type { AppConfig } from '../config/app-config';
import { DomainException } from '../errors/domain.exception';
import { pickLocale } from '../i18n/messages';
import { setLongTimeout } from '../time/long-timeout';
import { originAllowed } from './origins';
import type { TokenService } from './token.service';

/**
 * socket.io handshake authentication (`server.use(socketAuth(tokens, config))`): a socket
 * without a valid token (or from a disallowed origin) never connects. Puts `actor`, `exp`,
 * `iat`, `jti` and `locale` in `socket.data`, and drops the socket when its token expires —
 * however far ahead (a check-in token lasts until its meeting ends, maybe 40 days: the timer is
 * chained past Node's 2^31 ms limit). A token signed out or of a deactivated person later is
 * dropped by its gateway (AccessChanges); the router also refuses events from an expired one.
 */
export function socketAuth(
  tokens: TokenService,
  config: AppConfig,
): (socket: Socket, next: (err?: Error) => void) => void {
  return (socket, next) => {
    try {
      const { origin, host } = socket.handshake.headers;
      if (!originAllowed(origin, host, config.liveOrigins)) {
        throw new DomainException('FORBIDDEN', `origin ${origin ?? ''} is not allowed`);
      }
      const auth = socket.handshake.auth as { token?: unknown };
      const verified = tokens.verify(typeof auth.token === 'string' ? auth.token : null);
      socket.data = {
        actor: verified.actor,
        exp: verified.exp,
        iat: verified.iat,
        jti: verified.jti,
        locale: pickLocale(socket.handshake.headers['accept-language']),
      };
      const timer = setLongTimeout(() => socket.disconnect(true), verified.exp * 1000 - Date.now());
      socket.once('disconnect', () => timer.clear());
      next();
    } catch (err) {
      next(new Error(err instanceof DomainException ? err.code : 'UNAUTHORIZED'));
    }
  };
}
