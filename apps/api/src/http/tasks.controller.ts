import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  TaskItemView,
  TaskQueriesService,
} from '@liexi/handling';
import { type Actor, ApiErrors, ApiPageResponse, CurrentActor, type Page, Roles } from '@liexi/platform';

const ANYONE = ['secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee'] as const;

/** A workflow step: 200 with the item after it; refused from a state that does not allow it. */
const Step = (operationId: string, summary: string, description?: string): MethodDecorator =>
  applyDecorators(
    ApiOperation({ operationId, summary, ...(description ? { description } : {}) }),
    ApiOkResponse({ type: TaskItemView, description: 'the item after the step' }),
    ApiErrors('INVALID_TRANSITION', 'CONFLICT'),
    HttpCode(200),
  );

/** 任务清单: task items and their closed loop. Each handler is one line into a service. */
@ApiTags('tasks')
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
  @ApiOperation({
    operationId: 'tasks.create',
    summary: 'Create a task item (任务), from inputs or from scratch',
    description:
      'Problem, lead unit, measure, deadline (`deadline` or `deadlineWorkingDays`) and close-out standard. The first input is recorded as converted, the rest as merged. `assign: true` assigns it at once (交办).',
  })
  @ApiCreatedResponse({ type: TaskItemView })
  @ApiErrors('CONFLICT')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTaskItemDto): Promise<TaskItemView> {
    return this.commands.create(actor, dto);
  }

  @Roles(...ANYONE)
  @Get()
  @ApiOperation({
    operationId: 'tasks.list',
    summary: 'List the task items the caller may see, oldest first',
    description:
      'Overseers see every item, a unit its lead and co-operated items, an attendee the items made from their inputs.',
  })
  @ApiPageResponse(TaskItemView)
  list(@CurrentActor() actor: Actor, @Query() query: ListTasksQueryDto): Promise<Page<TaskItemView>> {
    return this.queries.list(actor, { meetingId: query.meetingId, state: query.state }, query);
  }

  @Roles(...ANYONE)
  @Get(':id')
  @ApiOperation({
    operationId: 'tasks.get',
    summary: 'A task item with its replies, evaluations, progress and deadlines',
  })
  @ApiOkResponse({ type: TaskItemView })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.queries.get(actor, id);
  }

  @Roles('secretariat')
  @Post(':id/inputs')
  @Step('tasks.mergeInputs', 'Merge more inputs into the item (duplicates, 合并)')
  mergeInputs(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: MergeInputsDto,
  ): Promise<TaskItemView> {
    return this.dispositions.mergeInputs(actor, id, dto.inputIds);
  }

  @Roles('secretariat')
  @Post(':id/assign')
  @Step(
    'tasks.assign',
    'Assign the item to its lead unit (交办)',
    'After a return, `leadUnitId` reassigns it to another unit.',
  )
  assign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AssignDto,
  ): Promise<TaskItemView> {
    return this.commands.assign(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/accept')
  @Step('tasks.accept', 'The lead unit accepts the item (签收)')
  accept(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.commands.accept(actor, id);
  }

  @Roles('unit_handler')
  @Post(':id/return')
  @Step(
    'tasks.return',
    'The lead unit returns the item with a reason (退回), optionally suggesting another unit',
  )
  returnItem(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReturnDto,
  ): Promise<TaskItemView> {
    return this.commands.returnItem(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/start')
  @Step(
    'tasks.start',
    'The lead unit starts handling (整改); refused while a reopened item awaits its deadline',
  )
  start(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.commands.start(actor, id);
  }

  @Roles('unit_handler')
  @Post(':id/progress')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'tasks.reportProgress',
    summary: 'The lead unit reports progress (进展) with a percentage and links',
  })
  @ApiCreatedResponse({ type: TaskItemView, description: 'the item with the new report' })
  @ApiErrors('INVALID_TRANSITION', 'CONFLICT')
  progress(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ProgressReportDto,
  ): Promise<TaskItemView> {
    return this.commands.reportProgress(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/opinions')
  @Step('tasks.submitOpinion', 'A cooperating unit sends its opinion to the lead unit (会办意见)')
  opinion(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OpinionDto,
  ): Promise<TaskItemView> {
    return this.commands.submitOpinion(actor, id, dto.body);
  }

  @Roles('secretariat')
  @Post(':id/opinions/:unitId/waive')
  @Step('tasks.waiveOpinion', 'Waive a cooperating unit’s outstanding opinion, with the reason')
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
  @Step('tasks.draftReply', 'The lead unit drafts the reply to the proposers (答复)')
  draftReply(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DraftReplyDto,
  ): Promise<TaskItemView> {
    return this.replies.draftReply(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/reply/sign')
  @Step('tasks.signReply', 'Level 1: the head of the lead unit signs the reply (单位负责人签发)')
  sign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OptionalCommentDto,
  ): Promise<TaskItemView> {
    return this.replies.signReply(actor, id, dto.comment);
  }

  @Roles('secretariat')
  @Post(':id/reply/review')
  @Step('tasks.reviewReply', 'Level 2: the government office reviews the reply (政府办审核)')
  review(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OptionalCommentDto,
  ): Promise<TaskItemView> {
    return this.replies.reviewReply(actor, id, dto.comment);
  }

  @Roles('leader')
  @Post(':id/reply/approve')
  @Step(
    'tasks.approveReply',
    'Level 3: the leader approves the reply (领导审批)',
    'Refused with CONFLICT while a cooperating unit’s opinion is neither sent nor waived.',
  )
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OptionalCommentDto,
  ): Promise<TaskItemView> {
    return this.replies.approveReply(actor, id, dto.comment);
  }

  @Roles('unit_handler', 'secretariat', 'leader')
  @Post(':id/reply/send-back')
  @Step(
    'tasks.sendBackReply',
    'Send the reply back to drafting with a comment (退回修改): only the level it waits on',
  )
  sendBack(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReasonDto,
  ): Promise<TaskItemView> {
    return this.replies.sendBackReply(actor, id, dto.reason);
  }

  @Roles('secretariat')
  @Post(':id/reply/send')
  @Step('tasks.sendReply', 'Send the approved reply to the proposers; `public: true` publishes it (政务公开)')
  send(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SendReplyDto,
  ): Promise<TaskItemView> {
    return this.replies.sendReply(actor, id, dto);
  }

  @Roles('attendee')
  @Post(':id/evaluation')
  @Step('tasks.evaluate', 'A proposer rates the reply (满意度评价); unsatisfied reopens the item (二次办理)')
  evaluate(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: EvaluateDto,
  ): Promise<TaskItemView> {
    return this.replies.evaluate(actor, id, dto);
  }

  @Roles('secretariat')
  @Post(':id/close')
  @Step('tasks.close', 'Close the item out (销号); schedules its re-inspection (回头看)')
  close(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.commands.close(actor, id);
  }

  @Roles('secretariat', 'supervisor')
  @Post(':id/reopen')
  @Step('tasks.reopen', 'Reopen the item for second handling (二次办理), with a new deadline or awaiting one')
  reopen(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReopenDto,
  ): Promise<TaskItemView> {
    return this.commands.reopen(actor, id, dto);
  }

  @Roles('secretariat')
  @Post(':id/deadline')
  @Step('tasks.setDeadline', 'Set a new deadline (时限), e.g. for a reopened item')
  setDeadline(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: NewDeadlineDto,
  ): Promise<TaskItemView> {
    return this.deadlines.setDeadline(actor, id, dto);
  }

  @Roles('unit_handler')
  @Post(':id/extensions')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'tasks.requestExtension',
    summary: 'The lead unit asks for a later deadline (申请延期)',
  })
  @ApiCreatedResponse({
    type: TaskItemView,
    description: 'the item with the pending request in `deadlineChanges`',
  })
  @ApiErrors('INVALID_TRANSITION', 'CONFLICT')
  requestExtension(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: NewDeadlineDto,
  ): Promise<TaskItemView> {
    return this.deadlines.requestExtension(actor, id, dto);
  }

  @Roles('secretariat')
  @Post(':id/extensions/:changeId/decision')
  @Step('tasks.decideExtension', 'Approve or reject a requested extension')
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
  @Step('tasks.reinspect', 'Record a re-inspection (回头看): held, or relapsed (reopens the item)')
  reinspect(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReinspectionDto,
  ): Promise<TaskItemView> {
    return this.reinspections.recordReinspection(actor, id, dto);
  }
}
