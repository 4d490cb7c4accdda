import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  AccountAccessService,
  CreateAccountDto,
  CreateHandlerDto,
  CreateParticipantDto,
  CreateUnitDto,
  DirectoryImportService,
  DirectoryService,
  ImportDto,
  type ImportKind,
  type ImportReport,
  ImportUploadDto,
  SetUnitHeadDto,
  UnitHandlerView,
  UpdateParticipantDto,
  UpdateUnitDto,
  ParticipantView,
  UnitView,
} from '@liexi/directory';
import { type Actor, CurrentActor, DomainException, Roles, Throttled } from '@liexi/platform';

/** The multipart file part as multer hands it over (memory storage). */
interface UploadedSheet {
  originalname: string;
  buffer: Buffer;
}

const UPLOAD_LIMITS = { limits: { fileSize: 5 * 1024 * 1024, files: 1 } };
const UPLOAD_SCHEMA = {
  type: 'object',
  required: ['file'],
  properties: {
    file: { type: 'string', format: 'binary', description: '.xlsx or .csv, first row Chinese headers' },
    format: { type: 'string', enum: ['xlsx', 'csv'] },
    dryRun: { type: 'string', enum: ['true', 'false'] },
  },
};

const fromJson = (dto: ImportDto): { format: ImportDto['format']; data: Buffer; dryRun: boolean } => ({
  format: dto.format,
  data: Buffer.from(dto.contentBase64, 'base64'),
  dryRun: dto.dryRun ?? false,
});

@ApiTags('directory')
@ApiBearerAuth()
@Controller()
export class DirectoryController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly importer: DirectoryImportService,
    private readonly accounts: AccountAccessService,
  ) {}

  @Roles('secretariat')
  @Post('units')
  @ApiCreatedResponse({ type: UnitView })
  createUnit(@CurrentActor() actor: Actor, @Body() dto: CreateUnitDto): Promise<UnitView> {
    return this.directory.createUnit(actor, dto);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler')
  @Get('units')
  @ApiOkResponse({ type: [UnitView] })
  units(): Promise<UnitView[]> {
    return this.directory.listUnits();
  }

  @Roles('secretariat')
  @Post('participants')
  @ApiCreatedResponse({ type: ParticipantView })
  async createParticipant(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateParticipantDto,
  ): Promise<ParticipantView> {
    return this.directory.participantView(await this.directory.createParticipant(actor, dto), actor);
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @Get('participants')
  @ApiOkResponse({ type: [ParticipantView] })
  participants(@CurrentActor() actor: Actor): Promise<ParticipantView[]> {
    return this.directory.listParticipants(actor);
  }

  @Roles('secretariat')
  @Post('accounts')
  async createAccount(@CurrentActor() actor: Actor, @Body() dto: CreateAccountDto): Promise<Actor> {
    return this.directory.actorOf(await this.directory.createAccount(actor, dto));
  }

  /** Deactivates an account: it can no longer sign in, and its tokens stop working at once. */
  @Roles('secretariat')
  @Post('accounts/:id/deactivate')
  @HttpCode(200)
  deactivateAccount(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<Actor> {
    return this.accounts.deactivate(actor, id);
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @Get('participants/:id')
  @ApiOkResponse({ type: ParticipantView })
  async participant(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ParticipantView> {
    return this.directory.participantView(await this.directory.getParticipant(id), actor);
  }

  @Roles('secretariat')
  @Patch('participants/:id')
  @ApiOkResponse({ type: ParticipantView })
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
  @ApiOkResponse({ type: ParticipantView })
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
  @Throttled('import')
  @Post('participants/import')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'the report; a real import with any error answers 400 VALIDATION and stores nothing',
  })
  importParticipants(@CurrentActor() actor: Actor, @Body() dto: ImportDto): Promise<ImportReport> {
    return this.importer.import(actor, 'participants', fromJson(dto));
  }

  @Roles('secretariat')
  @Throttled('import')
  @Post('participants/import/upload')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_SCHEMA })
  @ApiOkResponse({
    description: 'as POST /participants/import; the file is the multipart part `file` (≤ 5 MB)',
  })
  @UseInterceptors(FileInterceptor('file', UPLOAD_LIMITS))
  uploadParticipants(
    @CurrentActor() actor: Actor,
    @UploadedFile() file: UploadedSheet | undefined,
    @Body() dto: ImportUploadDto,
  ): Promise<ImportReport> {
    return this.upload(actor, 'participants', file, dto);
  }

  @Roles('secretariat')
  @Throttled('import')
  @Post('units/import')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'the report; a real import with any error answers 400 VALIDATION and stores nothing',
  })
  importUnits(@CurrentActor() actor: Actor, @Body() dto: ImportDto): Promise<ImportReport> {
    return this.importer.import(actor, 'units', fromJson(dto));
  }

  @Roles('secretariat')
  @Throttled('import')
  @Post('units/import/upload')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_SCHEMA })
  @ApiOkResponse({ description: 'as POST /units/import; the file is the multipart part `file` (≤ 5 MB)' })
  @UseInterceptors(FileInterceptor('file', UPLOAD_LIMITS))
  uploadUnits(
    @CurrentActor() actor: Actor,
    @UploadedFile() file: UploadedSheet | undefined,
    @Body() dto: ImportUploadDto,
  ): Promise<ImportReport> {
    return this.upload(actor, 'units', file, dto);
  }

  private upload(
    actor: Actor,
    kind: ImportKind,
    file: UploadedSheet | undefined,
    dto: ImportUploadDto,
  ): Promise<ImportReport> {
    if (!file) throw new DomainException('VALIDATION', 'no file', { fields: { file: ['required'] } });
    const format = this.importer.formatOf(dto.format, file.originalname);
    return this.importer.import(actor, kind, { format, data: file.buffer, dryRun: dto.dryRun === 'true' });
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler')
  @Get('units/:id')
  @ApiOkResponse({ type: UnitView })
  unit(@Param('id', ParseUUIDPipe) id: string): Promise<UnitView> {
    return this.directory.getUnit(id);
  }

  @Roles('secretariat')
  @Patch('units/:id')
  @ApiOkResponse({ type: UnitView })
  updateUnit(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUnitDto,
  ): Promise<UnitView> {
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
