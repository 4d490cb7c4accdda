import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@liexi/contracts';
import type { Request } from 'express';
import { DomainException } from '../errors/domain.exception';
import { bindAccountToLog } from '../logging/socket-event-log';
import { actorOf, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { TokenService, type VerifiedToken } from './token.service';

/**
 * The global guard of HTTP routes: authenticate the Bearer token, then allow only the roles
 * the handler names. A handler that names none is denied to everybody. (Sockets authenticate
 * in the handshake and name their roles in their gateway's route table: SocketRouter.)
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

    const req = ctx.switchToHttp().getRequest<Request & { actor?: unknown; token?: VerifiedToken }>();
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    req.token = this.tokens.verify(token);
    req.actor = req.token.actor;
    const actor = actorOf(ctx);
    if (!actor) throw new DomainException('UNAUTHORIZED', 'not authenticated');
    bindAccountToLog(actor.accountId);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(actor.role)) {
      throw new DomainException('FORBIDDEN', `role ${actor.role} may not do this`);
    }
    return true;
  }
}
