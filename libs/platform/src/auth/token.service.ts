import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { sign, verify } from 'jsonwebtoken';
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
  /**
   * The HMAC key made once: given the secret as a string, jsonwebtoken first tries it as a
   * public key on every call (~0.7 ms per verify against ~13 µs with a KeyObject).
   */
  private readonly key: KeyObject;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  sign(actor: Actor, ttlSeconds = this.config.jwtTtlSeconds): { accessToken: string; expiresAt: string } {
    const accessToken = sign(
      {
        sub: actor.accountId,
        username: actor.username,
        role: actor.role,
        unitId: actor.unitId,
        participantId: actor.participantId,
      },
      this.key,
      { expiresIn: ttlSeconds, algorithm: 'HS256' },
    );
    return { accessToken, expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString() };
  }

  /** Throws UNAUTHORIZED for a missing, malformed, forged or expired token. */
  verify(token: string | undefined | null): VerifiedToken {
    if (!token) throw new DomainException('UNAUTHORIZED', 'no access token');
    let claims: Claims;
    try {
      claims = verify(token, this.key, { algorithms: ['HS256'] }) as Claims;
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
