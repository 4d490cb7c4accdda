import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DirectoryService, LoginDto, LoginResultView } from '@liexi/directory';
import { type Actor, ActorView, ApiErrors, CurrentActor, Public, Roles } from '@liexi/platform';
import { ROLES } from '@liexi/contracts';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly directory: DirectoryService) {}

  @Public()
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

  @Roles(...ROLES)
  @Get('me')
  @ApiOperation({ operationId: 'auth.me', summary: 'Who the token is for' })
  @ApiOkResponse({ type: ActorView })
  me(@CurrentActor() actor: Actor): ActorView {
    return actor;
  }
}
