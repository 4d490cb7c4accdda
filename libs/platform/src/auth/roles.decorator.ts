import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from '@liexi/contracts';
import { DomainException } from '../errors/domain.exception';
import { X_PUBLIC, X_ROLES } from '../openapi/api-docs.decorator';
import type { Actor } from './actor';
import type { VerifiedToken } from './token.service';

export const ROLES_KEY = 'liexi:roles';
export const PUBLIC_KEY = 'liexi:public';

/**
 * The roles allowed on a route. Without it (or @Public) everything is denied. The same list
 * goes into the OpenAPI document (`x-roles`), so what is documented is what is enforced.
 * (Socket events name theirs in their gateway's route table.)
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(X_ROLES, roles));
/** Open to anyone, signed in or not (login, health, docs); documented without security. */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension(X_PUBLIC, true));

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
