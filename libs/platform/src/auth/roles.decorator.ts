import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@liexi/contracts';
import { DomainException } from '../errors/domain.exception';
import type { Actor } from './actor';
import type { VerifiedToken } from './token.service';

export const ROLES_KEY = 'liexi:roles';
export const PUBLIC_KEY = 'liexi:public';

/** The roles allowed on a route. Without it (or @Public) everything is denied. (Socket events name theirs in their gateway's route table.) */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);
/** Open to anyone, signed in or not (login, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export function actorOf(ctx: ExecutionContext): Actor | undefined {
  return ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
}

/** The authenticated actor of this request. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = actorOf(ctx);
  if (!actor) throw new DomainException('UNAUTHORIZED', 'no authenticated actor');
  return actor;
});

/** The verified token of this request (its id and expiry: to sign it out). */
export const CurrentToken = createParamDecorator((_: unknown, ctx: ExecutionContext): VerifiedToken => {
  const token = ctx.switchToHttp().getRequest<{ token?: VerifiedToken }>().token;
  if (!token) throw new DomainException('UNAUTHORIZED', 'no access token');
  return token;
});
