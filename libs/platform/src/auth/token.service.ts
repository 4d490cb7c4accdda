import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ROLES, type Role } from '@liexi/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DomainException } from '../errors/domain.exception';
import type { Actor } from './actor';

interface Claims {
  sub: string;
  username: string;
  role: Role;
  unitId: string | null;
  participantId: string | null;
  exp: number;
}

export interface VerifiedToken {
  actor: Actor;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  sign(actor: Actor, ttlSeconds = this.config.jwtTtlSeconds): { accessToken: string; expiresAt: string } {
    const accessToken = this.jwt.sign(
      {
        sub: actor.accountId,
        username: actor.username,
        role: actor.role,
        unitId: actor.unitId,
        participantId: actor.participantId,
      },
      { secret: this.config.jwtSecret, expiresIn: ttlSeconds, algorithm: 'HS256' },
    );
    return { accessToken, expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString() };
  }

  /** Throws UNAUTHORIZED for a missing, malformed, forged or expired token. */
  verify(token: string | undefined | null): VerifiedToken {
    if (!token) throw new DomainException('UNAUTHORIZED', 'no access token');
    let claims: Claims;
    try {
      claims = this.jwt.verify<Claims>(token, { secret: this.config.jwtSecret, algorithms: ['HS256'] });
    } catch {
      throw new DomainException('UNAUTHORIZED', 'the access token is invalid or expired');
    }
    if (!ROLES.includes(claims.role))
      throw new DomainException('UNAUTHORIZED', 'the access token has no valid role');
    return {
      actor: {
        accountId: claims.sub,
        username: claims.username,
        role: claims.role,
        unitId: claims.unitId ?? null,
        participantId: claims.participantId ?? null,
      },
      exp: claims.exp,
    };
  }
}
