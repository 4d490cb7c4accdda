import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DirectoryService, LoginDto } from '@liexi/directory';
import { type Actor, CurrentActor, Public, Roles } from '@liexi/platform';
import { ROLES } from '@liexi/contracts';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly directory: DirectoryService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto): Promise<{ accessToken: string; expiresAt: string; actor: Actor }> {
    return this.directory.login(dto.username, dto.password);
  }

  @ApiBearerAuth()
  @Roles(...ROLES)
  @Get('me')
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }
}
