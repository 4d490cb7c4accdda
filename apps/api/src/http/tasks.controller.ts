import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  AssignDto,
  CreateTaskItemDto,
  DecideExtensionDto,
  DraftReplyDto,
  EvaluateDto,
  HandlingService,
  ListTasksQueryDto,
  MergeInputsDto,
  NewDeadlineDto,
  OpinionDto,
  OptionalCommentDto,
  ProgressReportDto,
  ReasonDto,
  ReinspectionDto,
  ReopenDto,
  ReturnDto,
  SendReplyDto,
  SupervisionService,
  type TaskItemView,
} from '@liexi/handling';
import { type Actor, CurrentActor, Roles } from '@liexi/platform';

const ANYONE = ['secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee'] as const;

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly handling: HandlingService,
    private readonly supervision: SupervisionService,
  ) {}

  @Roles('secretariat')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTaskItemDto): Promise<TaskItemView> {
    return this.handling.create(actor, dto);
  }

  @Roles(...ANYONE)
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListTasksQueryDto): Promise<TaskItemView[]> {
    return this.handling.list(actor, query);
  }

  @Roles(...ANYONE)
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.handling.get(actor, id);
  }

  @Roles('secretariat')
  @Post(':id/inputs')
  @HttpCode(200)
  mergeInputs(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: MergeInputsDto,
  ): Promise<TaskItemView> {
    return this.handling.mergeInputs(actor, id, dto.inputIds);
  }

  @Roles('secretariat')
  @Post(':id/assign')
  @HttpCode(200)
  assign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AssignDto,
  ): Promise<TaskItemView> {
    return this.handling.assign(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/accept')
  @HttpCode(200)
  accept(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.handling.accept(actor, id);
  }

  @Roles('unit_handler')
  @Post(':id/return')
  @HttpCode(200)
  returnItem(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReturnDto,
  ): Promise<TaskItemView> {
    return this.handling.returnItem(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/start')
  @HttpCode(200)
  start(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.handling.start(actor, id);
  }

  @Roles('unit_handler')
  @Post(':id/progress')
  @HttpCode(200)
  progress(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ProgressReportDto,
  ): Promise<TaskItemView> {
    return this.handling.reportProgress(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/opinions')
  @HttpCode(200)
  opinion(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OpinionDto,
  ): Promise<TaskItemView> {
    return this.handling.submitOpinion(actor, id, dto.body);
  }

  @Roles('secretariat')
  @Post(':id/opinions/:unitId/waive')
  @HttpCode(200)
  waiveOpinion(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('unitId', ParseUUIDPipe) unitId: string,
    @Body() dto: ReasonDto,
  ): Promise<TaskItemView> {
    return this.handling.waiveOpinion(actor, id, unitId, dto.reason);
  }

  @Roles('unit_handler')
  @Post(':id/reply')
  @HttpCode(200)
  draftReply(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DraftReplyDto,
  ): Promise<TaskItemView> {
    return this.handling.draftReply(actor, id, dto);
  }

  /** Level 1: the head of the lead unit (account with unitHead) signs. */
  @Roles('unit_handler')
  @Post(':id/reply/sign')
  @HttpCode(200)
  sign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OptionalCommentDto,
  ): Promise<TaskItemView> {
    return this.handling.signReply(actor, id, dto.comment);
  }

  /** Level 2: the government office reviews. */
  @Roles('secretariat')
  @Post(':id/reply/review')
  @HttpCode(200)
  review(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OptionalCommentDto,
  ): Promise<TaskItemView> {
    return this.handling.reviewReplyStep(actor, id, dto.comment);
  }

  /** Level 3: the leader approves. */
  @Roles('leader')
  @Post(':id/reply/approve')
  @HttpCode(200)
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OptionalCommentDto,
  ): Promise<TaskItemView> {
    return this.handling.approveReply(actor, id, dto.comment);
  }

  /** Whoever holds the draft at its level sends it back to drafting with a comment. */
  @Roles('unit_handler', 'secretariat', 'leader')
  @Post(':id/reply/send-back')
  @HttpCode(200)
  sendBack(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReasonDto,
  ): Promise<TaskItemView> {
    return this.handling.sendBackReply(actor, id, dto.reason);
  }

  @Roles('secretariat')
  @Post(':id/reply/send')
  @HttpCode(200)
  send(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SendReplyDto,
  ): Promise<TaskItemView> {
    return this.handling.sendReply(actor, id, dto);
  }

  @Roles('attendee')
  @Post(':id/evaluation')
  @HttpCode(200)
  evaluate(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: EvaluateDto,
  ): Promise<TaskItemView> {
    return this.handling.evaluate(actor, id, dto);
  }

  @Roles('secretariat')
  @Post(':id/close')
  @HttpCode(200)
  close(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.handling.close(actor, id);
  }

  @Roles('secretariat', 'supervisor')
  @Post(':id/reopen')
  @HttpCode(200)
  reopen(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReopenDto,
  ): Promise<TaskItemView> {
    return this.handling.reopen(actor, id, dto);
  }

  @Roles('secretariat')
  @Post(':id/deadline')
  @HttpCode(200)
  setDeadline(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: NewDeadlineDto,
  ): Promise<TaskItemView> {
    return this.supervision.setDeadline(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/extensions')
  @HttpCode(200)
  requestExtension(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: NewDeadlineDto,
  ): Promise<TaskItemView> {
    return this.supervision.requestExtension(actor, id, dto);
  }

  @Roles('secretariat')
  @Post(':id/extensions/:changeId/decision')
  @HttpCode(200)
  decideExtension(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('changeId', ParseUUIDPipe) changeId: string,
    @Body() dto: DecideExtensionDto,
  ): Promise<TaskItemView> {
    return this.supervision.decideExtension(actor, id, changeId, dto);
  }

  @Roles('secretariat', 'supervisor')
  @Post(':id/reinspection')
  @HttpCode(200)
  reinspect(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReinspectionDto,
  ): Promise<TaskItemView> {
    return this.supervision.recordReinspection(actor, id, dto);
  }
}
