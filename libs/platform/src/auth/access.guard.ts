import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@liexi/contracts';
import type { Request } from 'express';
import { DomainException } from '../errors/domain.exception';
import { actorOf, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { TokenService } from './token.service';

/**
 * The global guard, for HTTP routes and socket events alike: authenticate (HTTP: Bearer token;
 * sockets: already done in the handshake), then allow only the roles the handler names.
 * A handler that names none is denied to everybody.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    if (ctx.getType() === 'http') {
      const req = ctx.switchToHttp().getRequest<Request & { actor?: unknown }>();
      const header = req.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
      req.actor = this.tokens.verify(token).actor;
    }
    if (ctx.getType() === 'ws') {
      const exp = (ctx.switchToWs().getClient<{ data?: { exp?: number } }>().data?.exp ?? 0) * 1000;
      if (exp <= Date.now()) throw new DomainException('UNAUTHORIZED', 'the access token has expired');
    }
    const actor = actorOf(ctx);
    if (!actor) throw new DomainException('UNAUTHORIZED', 'not authenticated');

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(actor.role)) {
      throw new DomainException('FORBIDDEN', `role ${actor.role} may not do this`);
    }
    return true;
  }
}
