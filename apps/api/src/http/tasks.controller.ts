import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  AssignDto,
  CreateTaskItemDto,
  DecideExtensionDto,
  DraftReplyDto,
  EvaluateDto,
  DeadlinesService,
  InputDispositionsService,
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
  ReinspectionService,
  ReplyApprovalService,
  SendReplyDto,
  TaskCommandsService,
  type TaskItemView,
  TaskQueriesService,
} from '@liexi/handling';
import { type Actor, CurrentActor, Roles } from '@liexi/platform';

const ANYONE = ['secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee'] as const;

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly commands: TaskCommandsService,
    private readonly queries: TaskQueriesService,
    private readonly replies: ReplyApprovalService,
    private readonly dispositions: InputDispositionsService,
    private readonly deadlines: DeadlinesService,
    private readonly reinspections: ReinspectionService,
  ) {}

  @Roles('secretariat')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTaskItemDto): Promise<TaskItemView> {
    return this.commands.create(actor, dto);
  }

  @Roles(...ANYONE)
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListTasksQueryDto): Promise<TaskItemView[]> {
    return this.queries.list(actor, query);
  }

  @Roles(...ANYONE)
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.queries.get(actor, id);
  }

  @Roles('secretariat')
  @Post(':id/inputs')
  @HttpCode(200)
  mergeInputs(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: MergeInputsDto,
  ): Promise<TaskItemView> {
    return this.dispositions.mergeInputs(actor, id, dto.inputIds);
  }

  @Roles('secretariat')
  @Post(':id/assign')
  @HttpCode(200)
  assign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AssignDto,
  ): Promise<TaskItemView> {
    return this.commands.assign(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/accept')
  @HttpCode(200)
  accept(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.commands.accept(actor, id);
  }

  @Roles('unit_handler')
  @Post(':id/return')
  @HttpCode(200)
  returnItem(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReturnDto,
  ): Promise<TaskItemView> {
    return this.commands.returnItem(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/start')
  @HttpCode(200)
  start(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.commands.start(actor, id);
  }

  @Roles('unit_handler')
  @Post(':id/progress')
  @HttpCode(200)
  progress(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ProgressReportDto,
  ): Promise<TaskItemView> {
    return this.commands.reportProgress(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/opinions')
  @HttpCode(200)
  opinion(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OpinionDto,
  ): Promise<TaskItemView> {
    return this.commands.submitOpinion(actor, id, dto.body);
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
    return this.commands.waiveOpinion(actor, id, unitId, dto.reason);
  }

  @Roles('unit_handler')
  @Post(':id/reply')
  @HttpCode(200)
  draftReply(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DraftReplyDto,
  ): Promise<TaskItemView> {
    return this.replies.draftReply(actor, id, dto);
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
    return this.replies.signReply(actor, id, dto.comment);
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
    return this.replies.reviewReply(actor, id, dto.comment);
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
    return this.replies.approveReply(actor, id, dto.comment);
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
    return this.replies.sendBackReply(actor, id, dto.reason);
  }

  @Roles('secretariat')
  @Post(':id/reply/send')
  @HttpCode(200)
  send(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SendReplyDto,
  ): Promise<TaskItemView> {
    return this.replies.sendReply(actor, id, dto);
  }

  @Roles('attendee')
  @Post(':id/evaluation')
  @HttpCode(200)
  evaluate(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: EvaluateDto,
  ): Promise<TaskItemView> {
    return this.replies.evaluate(actor, id, dto);
  }

  @Roles('secretariat')
  @Post(':id/close')
  @HttpCode(200)
  close(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.commands.close(actor, id);
  }

  @Roles('secretariat', 'supervisor')
  @Post(':id/reopen')
  @HttpCode(200)
  reopen(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReopenDto,
  ): Promise<TaskItemView> {
    return this.commands.reopen(actor, id, dto);
  }

  @Roles('secretariat')
  @Post(':id/deadline')
  @HttpCode(200)
  setDeadline(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: NewDeadlineDto,
  ): Promise<TaskItemView> {
    return this.deadlines.setDeadline(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/extensions')
  @HttpCode(200)
  requestExtension(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: NewDeadlineDto,
  ): Promise<TaskItemView> {
    return this.deadlines.requestExtension(actor, id, dto);
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
    return this.deadlines.decideExtension(actor, id, changeId, dto);
  }

  @Roles('secretariat', 'supervisor')
  @Post(':id/reinspection')
  @HttpCode(200)
  reinspect(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReinspectionDto,
  ): Promise<TaskItemView> {
    return this.reinspections.recordReinspection(actor, id, dto);
  }
}
