import {
  Body,
  Controller,
  Query,
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
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
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
  ImportReportView,
  ImportUploadDto,
  ListParticipantsQueryDto,
  SetUnitHeadDto,
  UnitHandlerView,
  UpdateParticipantDto,
  UpdateUnitDto,
  ParticipantView,
  UnitView,
} from '@liexi/directory';
import {
  type Actor,
  ActorView,
  ApiErrors,
  ApiPageResponse,
  CurrentActor,
  DomainException,
  type Page,
  PageQueryDto,
  Roles,
  Throttled,
} from '@liexi/platform';

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

/** The directory: units (承办单位), participants (列席人员), accounts, and bulk import. */
@Controller()
export class DirectoryController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly importer: DirectoryImportService,
    private readonly accounts: AccountAccessService,
  ) {}

  @Roles('secretariat')
  @Post('units')
  @ApiTags('units')
  @ApiOperation({ operationId: 'units.create', summary: 'Add a unit (承办单位)' })
  @ApiCreatedResponse({ type: UnitView })
  @ApiErrors('CONFLICT')
  createUnit(@CurrentActor() actor: Actor, @Body() dto: CreateUnitDto): Promise<UnitView> {
    return this.directory.createUnit(actor, dto);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler')
  @Get('units')
  @ApiTags('units')
  @ApiOperation({ operationId: 'units.list', summary: 'List the units by name' })
  @ApiPageResponse(UnitView)
  units(@Query() query: PageQueryDto): Promise<Page<UnitView>> {
    return this.directory.unitPage(query);
  }

  @Roles('secretariat')
  @Post('participants')
  @ApiTags('participants')
  @ApiOperation({ operationId: 'participants.create', summary: 'Add a person who may sit in (列席人员)' })
  @ApiCreatedResponse({ type: ParticipantView })
  async createParticipant(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateParticipantDto,
  ): Promise<ParticipantView> {
    return this.directory.participantView(await this.directory.createParticipant(actor, dto), actor);
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @Get('participants')
  @ApiTags('participants')
  @ApiOperation({
    operationId: 'participants.list',
    summary: 'List the people by name, filtered by constituency (界别) and status',
    description: 'Contact details (联系方式) are shown to the secretariat only.',
  })
  @ApiPageResponse(ParticipantView)
  participants(
    @CurrentActor() actor: Actor,
    @Query() query: ListParticipantsQueryDto,
  ): Promise<Page<ParticipantView>> {
    return this.directory.participantPage(actor, query);
  }

  @Roles('secretariat')
  @Post('accounts')
  @ApiTags('accounts')
  @ApiOperation({
    operationId: 'accounts.create',
    summary: 'Create an account (a unit handler names its unit, an attendee their participant)',
  })
  @ApiCreatedResponse({ type: ActorView })
  @ApiErrors('CONFLICT')
  async createAccount(@CurrentActor() actor: Actor, @Body() dto: CreateAccountDto): Promise<ActorView> {
    return this.directory.actorOf(await this.directory.createAccount(actor, dto));
  }

  /** Deactivates an account: it can no longer sign in, and its tokens stop working at once. */
  @Roles('secretariat')
  @Post('accounts/:id/deactivate')
  @HttpCode(200)
  @ApiTags('accounts')
  @ApiOperation({
    operationId: 'accounts.deactivate',
    summary: 'Deactivate an account: it can no longer sign in, and its tokens stop working at once',
  })
  @ApiOkResponse({ type: ActorView })
  @ApiErrors('NOT_FOUND')
  deactivateAccount(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<Actor> {
    return this.accounts.deactivate(actor, id);
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @Get('participants/:id')
  @ApiTags('participants')
  @ApiOperation({
    operationId: 'participants.get',
    summary: 'A person (contact details for the secretariat only)',
  })
  @ApiOkResponse({ type: ParticipantView })
  async participant(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ParticipantView> {
    return this.directory.participantView(await this.directory.getParticipant(id), actor);
  }

  @Roles('secretariat')
  @Patch('participants/:id')
  @ApiTags('participants')
  @ApiOperation({
    operationId: 'participants.update',
    summary: 'Edit a person; `active: false` deactivates them',
  })
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
  @ApiTags('participants')
  @ApiOperation({
    operationId: 'participants.deactivate',
    summary: 'Deactivate a person (停用): never invited again',
  })
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
  @ApiTags('import')
  @ApiOperation({
    operationId: 'import.participants',
    summary: 'Import people from a small base64-encoded sheet',
  })
  @ApiOkResponse({
    type: ImportReportView,
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
  @ApiTags('import')
  @ApiOperation({
    operationId: 'import.participantsUpload',
    summary: 'Import people from an uploaded .xlsx or .csv (multipart)',
  })
  @ApiOkResponse({
    type: ImportReportView,
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
  @ApiTags('import')
  @ApiOperation({ operationId: 'import.units', summary: 'Import units from a small base64-encoded sheet' })
  @ApiOkResponse({
    type: ImportReportView,
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
  @ApiTags('import')
  @ApiOperation({
    operationId: 'import.unitsUpload',
    summary: 'Import units from an uploaded .xlsx or .csv (multipart)',
  })
  @ApiOkResponse({
    type: ImportReportView,
    description: 'as POST /units/import; the file is the multipart part `file` (≤ 5 MB)',
  })
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
  @ApiTags('units')
  @ApiOperation({ operationId: 'units.get', summary: 'A unit' })
  @ApiOkResponse({ type: UnitView })
  unit(@Param('id', ParseUUIDPipe) id: string): Promise<UnitView> {
    return this.directory.getUnit(id);
  }

  @Roles('secretariat')
  @Patch('units/:id')
  @ApiTags('units')
  @ApiOperation({ operationId: 'units.update', summary: 'Edit a unit' })
  @ApiOkResponse({ type: UnitView })
  @ApiErrors('CONFLICT')
  updateUnit(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUnitDto,
  ): Promise<UnitView> {
    return this.directory.updateUnit(actor, id, dto);
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @Get('units/:id/handlers')
  @ApiTags('units')
  @ApiOperation({
    operationId: 'units.handlers',
    summary: 'The unit’s handler accounts (经办人), oldest first',
  })
  @ApiPageResponse(UnitHandlerView)
  handlers(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<UnitHandlerView>> {
    return this.directory.unitHandlerPage(id, query);
  }

  @Roles('secretariat')
  @Post('units/:id/handlers')
  @ApiTags('units')
  @ApiOperation({
    operationId: 'units.addHandler',
    summary: 'Add a handler account to the unit; `head: true` makes it the unit head (一把手)',
  })
  @ApiCreatedResponse({ type: UnitHandlerView })
  @ApiErrors('CONFLICT')
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
  @ApiTags('units')
  @ApiOperation({
    operationId: 'units.setHead',
    summary: 'Make one handler the unit head (一把手), who signs replies; the previous head stops being head',
  })
  @ApiOkResponse({ type: UnitView, description: 'the unit with its new head’s name' })
  setHead(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SetUnitHeadDto,
  ): Promise<UnitView> {
    return this.directory.setUnitHead(actor, id, dto.accountId);
  }
}
