import { type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AppConfig } from '../config/app-config';
import type { Actor } from './actor';

/** The entry points guessed at or flooded: sign-in, the public check-in code, imports. */
export type ThrottledAction = 'login' | 'check-in' | 'import';
export const THROTTLED_KEY = 'liexi:throttled';

/**
 * Limits a route per account and per address (AUTH_RATE_LIMIT attempts per minute per account,
 * ten times as many per address); the 429 says when to retry (`Retry-After`, seconds).
 */
export const Throttled = (action: ThrottledAction): MethodDecorator => SetMetadata(THROTTLED_KEY, action);

const actionOf = (ctx: ExecutionContext): ThrottledAction | undefined =>
  Reflect.getMetadata(THROTTLED_KEY, ctx.getHandler()) as ThrottledAction | undefined;

/** Whom a request counts against: the account named or acting, never anything unbounded. */
function accountOf(req: { body?: unknown; actor?: Actor }, action: ThrottledAction): string {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  switch (action) {
    case 'login':
      return `user:${typeof body.username === 'string' ? body.username.slice(0, 100).toLowerCase() : '?'}`;
    case 'check-in': {
      // The invitation the code is for: guessing codes of one invitation is slowed down.
      const m =
        typeof body.payload === 'string' ? /^liexi:checkin:([0-9a-f-]{36}):/.exec(body.payload.trim()) : null;
      return `invitation:${m?.[1] ?? '?'}`;
    }
    case 'import':
      return `account:${req.actor?.accountId ?? '?'}`;
  }
}

/** The two throttlers, from the config (ThrottlerModule.forRoot in PlatformModule). */
export function authThrottlerOptions(config: AppConfig): ThrottlerModuleOptions {
  const minute = 60_000;
  return {
    throttlers: [
      {
        name: 'account',
        ttl: minute,
        limit: config.authRateLimit,
        getTracker: (req: Record<string, unknown>, ctx: ExecutionContext) =>
          accountOf(req, actionOf(ctx) ?? 'login'),
      },
      { name: 'address', ttl: minute, limit: config.authRateLimit * 10 },
    ],
    errorMessage: 'too many attempts; wait before trying again',
  };
}

/**
 * Runs after AccessGuard (so imports count against the acting account); routes without
 * `@Throttled` are not limited here (the live paths have their own token buckets).
 */
@Injectable()
export class AuthThrottleGuard extends ThrottlerGuard {
  protected override shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    return Promise.resolve(ctx.getType() !== 'http' || actionOf(ctx) === undefined);
  }

  protected override throwThrottlingException(
    ctx: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    // The standard header (the library names it Retry-After-<throttler> for named throttlers).
    ctx
      .switchToHttp()
      .getResponse<{ setHeader(name: string, value: string): void }>()
      .setHeader('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
    return super.throwThrottlingException(ctx, detail);
  }
}
