import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, DomainException } from '@liexi/platform';
import { RateLimiter } from './token-bucket';

/** The per-user socket rate limit: LIVE_RATE_LIMIT events per 10 s, as a token bucket per account. */
@Injectable()
export class LiveRateLimiter {
  private readonly limiter: RateLimiter;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = new RateLimiter(config.liveRateLimit, 10_000);
  }

  /** Throws RATE_LIMITED when this account has no token left; other accounts are unaffected. */
  take(accountId: string): void {
    if (!this.limiter.take(accountId))
      throw new DomainException('RATE_LIMITED', 'too many events; slow down and retry shortly');
  }
}
