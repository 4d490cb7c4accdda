import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { getMetadataStorage } from 'class-validator';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { DomainException } from '../errors/domain.exception';

type Handler = (...args: unknown[]) => unknown;

/**
 * The query parameters a route declares: the names of its `@Query('name')` parameters and the
 * validated properties of its `@Query() dto` class (its filters and `limit`/`cursor`).
 */
export function declaredQueryKeys(controller: Type, handler: Handler): ReadonlySet<string> {
  const keys = new Set<string>();
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, handler.name) ??
    []) as unknown[];
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== Number(RouteParamtypes.QUERY)) continue;
    if (typeof arg.data === 'string') {
      keys.add(arg.data);
      continue;
    }
    const dto = types[arg.index];
    if (typeof dto !== 'function' || dto === Object) continue;
    for (const m of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false))
      keys.add(m.propertyName);
  }
  return keys;
}

type Type = abstract new (...args: never[]) => unknown;

/**
 * Refuses a query parameter the route does not declare, on every HTTP route (400 VALIDATION,
 * naming it), so a misspelt filter (`?stat=closed`) or a parameter of another api
 * (`?page=2`) is never silently ignored. The declared keys of each handler are worked out once.
 */
@Injectable()
export class KnownQueryInterceptor implements NestInterceptor {
  private readonly declared = new WeakMap<Handler, ReadonlySet<string>>();

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const handler = ctx.getHandler() as Handler;
    let keys = this.declared.get(handler);
    if (!keys) {
      keys = declaredQueryKeys(ctx.getClass(), handler);
      this.declared.set(handler, keys);
    }
    const query = ctx.switchToHttp().getRequest<Request>().query;
    const unknown = Object.keys(query).filter((k) => !keys.has(k));
    if (unknown.length > 0)
      throw new DomainException('VALIDATION', `unknown query parameter ${unknown.join(', ')}`, {
        fields: Object.fromEntries(unknown.map((k) => [k, ['unknown query parameter']])),
      });
    return next.handle();
  }
}
