import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@liexi/contracts';
import type { Socket } from 'socket.io';
import { DomainException } from '../errors/domain.exception';
import type { Actor } from './actor';

export const ROLES_KEY = 'liexi:roles';
export const PUBLIC_KEY = 'liexi:public';

/** The roles allowed on a route or socket event. Without it (or @Public) everything is denied. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);
/** Open to anyone, signed in or not (login, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export function actorOf(ctx: ExecutionContext): Actor | undefined {
  if (ctx.getType() === 'ws') return (ctx.switchToWs().getClient<Socket>().data as { actor?: Actor }).actor;
  return ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
}

/** The authenticated actor of this request or socket. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = actorOf(ctx);
  if (!actor) throw new DomainException('UNAUTHORIZED', 'no authenticated actor');
  return actor;
});
