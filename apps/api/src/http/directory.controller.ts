import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CreateAccountDto,
  CreateHandlerDto,
  CreateParticipantDto,
  CreateUnitDto,
  DirectoryImportService,
  DirectoryService,
  ImportDto,
  type ImportReport,
  SetUnitHeadDto,
  UnitHandlerView,
  UpdateParticipantDto,
  UpdateUnitDto,
  type ParticipantView,
  type UnitEntity,
} from '@liexi/directory';
import { type Actor, CurrentActor, Roles } from '@liexi/platform';

@ApiTags('directory')
@ApiBearerAuth()
@Controller()
export class DirectoryController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly importer: DirectoryImportService,
  ) {}

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

  @Roles('secretariat', 'leader', 'supervisor')
  @Get('participants/:id')
  async participant(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ParticipantView> {
    return this.directory.participantView(await this.directory.getParticipant(id), actor);
  }

  @Roles('secretariat')
  @Patch('participants/:id')
  async updateParticipant(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateParticipantDto,
  ): Promise<ParticipantView> {
    return this.directory.participantView(await this.directory.updateParticipant(actor, id, dto), actor);
  }

  @Roles('secretariat')
  @Post('participants/:id/deactivate')
  @HttpCode(200)
  async deactivateParticipant(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ParticipantView> {
    return this.directory.participantView(
      await this.directory.updateParticipant(actor, id, { active: false }),
      actor,
    );
  }

  @Roles('secretariat')
  @Post('participants/import')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'the report; a real import with any error answers 400 VALIDATION and stores nothing',
  })
  importParticipants(@CurrentActor() actor: Actor, @Body() dto: ImportDto): Promise<ImportReport> {
    return this.importer.import(actor, 'participants', dto);
  }

  @Roles('secretariat')
  @Post('units/import')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'the report; a real import with any error answers 400 VALIDATION and stores nothing',
  })
  importUnits(@CurrentActor() actor: Actor, @Body() dto: ImportDto): Promise<ImportReport> {
    return this.importer.import(actor, 'units', dto);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler')
  @Get('units/:id')
  unit(@Param('id', ParseUUIDPipe) id: string): Promise<UnitEntity> {
    return this.directory.getUnit(id);
  }

  @Roles('secretariat')
  @Patch('units/:id')
  updateUnit(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUnitDto,
  ): Promise<UnitEntity> {
    return this.directory.updateUnit(actor, id, dto);
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @Get('units/:id/handlers')
  @ApiOkResponse({ type: [UnitHandlerView] })
  handlers(@Param('id', ParseUUIDPipe) id: string): Promise<UnitHandlerView[]> {
    return this.directory.unitHandlers(id);
  }

  @Roles('secretariat')
  @Post('units/:id/handlers')
  @ApiOkResponse({ type: UnitHandlerView })
  addHandler(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateHandlerDto,
  ): Promise<UnitHandlerView> {
    return this.directory.addUnitHandler(actor, id, dto);
  }

  @Roles('secretariat')
  @Post('units/:id/head')
  @HttpCode(200)
  @ApiOkResponse({ type: [UnitHandlerView] })
  setHead(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SetUnitHeadDto,
  ): Promise<UnitHandlerView[]> {
    return this.directory.setUnitHead(actor, id, dto.accountId);
  }
}
