import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { LiveRateLimiter } from '@liexi/live';
import { actorOf } from '@liexi/platform';

/** Runs after AccessGuard on every `/live` event: RATE_LIMITED for this user only, through the ack. */
@Injectable()
export class LiveRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: LiveRateLimiter) {}

  canActivate(ctx: ExecutionContext): boolean {
    const actor = actorOf(ctx);
    if (actor) this.limiter.take(actor.accountId);
    return true;
  }
}
