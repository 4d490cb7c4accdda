import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DirectoryService, LoginDto } from '@liexi/directory';
import {
  AccessChanges,
  type Actor,
  CurrentActor,
  CurrentToken,
  Public,
  Roles,
  Throttled,
  type VerifiedToken,
} from '@liexi/platform';
import { ROLES } from '@liexi/contracts';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly access: AccessChanges,
  ) {}

  @Public()
  @Throttled('login')
  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto): Promise<{ accessToken: string; expiresAt: string; actor: Actor }> {
    return this.directory.login(dto.username, dto.password);
  }

  /** Signs this token out: it stops working at once, over HTTP and on open sockets, on every node. */
  @ApiBearerAuth()
  @Roles(...ROLES)
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentToken() token: VerifiedToken): Promise<void> {
    await this.access.revokeToken(token.jti, token.exp);
  }

  @ApiBearerAuth()
  @Roles(...ROLES)
  @Get('me')
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }
}
