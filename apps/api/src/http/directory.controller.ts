import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  CreateAccountDto,
  CreateParticipantDto,
  CreateUnitDto,
  DirectoryService,
  type ParticipantView,
  type UnitEntity,
} from '@liexi/directory';
import { type Actor, CurrentActor, Roles } from '@liexi/platform';

@ApiTags('directory')
@ApiBearerAuth()
@Controller()
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Roles('secretariat')
  @Post('units')
  createUnit(@CurrentActor() actor: Actor, @Body() dto: CreateUnitDto): Promise<UnitEntity> {
    return this.directory.createUnit(actor, dto);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler')
  @Get('units')
  units(): Promise<UnitEntity[]> {
    return this.directory.listUnits();
  }

  @Roles('secretariat')
  @Post('participants')
  async createParticipant(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateParticipantDto,
  ): Promise<ParticipantView> {
    return this.directory.participantView(await this.directory.createParticipant(actor, dto), actor);
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @Get('participants')
  participants(@CurrentActor() actor: Actor): Promise<ParticipantView[]> {
    return this.directory.listParticipants(actor);
  }

  @Roles('secretariat')
  @Post('accounts')
  async createAccount(@CurrentActor() actor: Actor, @Body() dto: CreateAccountDto): Promise<Actor> {
    return this.directory.actorOf(await this.directory.createAccount(actor, dto));
  }
}
