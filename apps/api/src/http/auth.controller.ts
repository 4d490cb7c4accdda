import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DirectoryService, LoginDto, LoginResultView } from '@liexi/directory';
import {
  AccessChanges,
  type Actor,
  ActorView,
  ApiErrors,
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
  @ApiOperation({
    operationId: 'auth.login',
    summary: 'Log in with username and password; answers an access token (JWT)',
  })
  @ApiOkResponse({ type: LoginResultView })
  @ApiErrors('UNAUTHORIZED')
  login(@Body() dto: LoginDto): Promise<LoginResultView> {
    return this.directory.login(dto.username, dto.password);
  }

  /** Signs this token out: it stops working at once, over HTTP and on open sockets, on every node. */
  @ApiBearerAuth()
  @Roles(...ROLES)
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'auth.logout',
    summary: 'Sign this token out: it stops working at once, over HTTP and on open sockets',
  })
  @ApiNoContentResponse({ description: 'signed out' })
  async logout(@CurrentToken() token: VerifiedToken): Promise<void> {
    await this.access.revokeToken(token.jti, token.exp);
  }

  @ApiBearerAuth()
  @Roles(...ROLES)
  @Get('me')
  @ApiOperation({ operationId: 'auth.me', summary: 'Who the token is for' })
  @ApiOkResponse({ type: ActorView })
  me(@CurrentActor() actor: Actor): ActorView {
    return actor;
  }
}
