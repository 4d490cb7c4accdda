import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  AnswerInputDto,
  CalendarDayDto,
  CalendarDayRemoved,
  CalendarDayView,
  CalendarQueryDto,
  InputDispositionResult,
  InputDispositionsService,
  MeetingTaskList,
  PublicTaskView,
  ReasonDto,
  SupervisionDashboard,
  SupervisionService,
  TaskQueriesService,
  WorkCalendarService,
} from '@liexi/handling';
import {
  type Actor,
  ApiErrors,
  ApiPageResponse,
  CurrentActor,
  type Page,
  PageQueryDto,
  Public,
  Roles,
} from '@liexi/platform';

@ApiTags('supervision')
@Controller('supervision')
export class SupervisionController {
  constructor(private readonly supervision: SupervisionService) {}

  @Roles('secretariat', 'supervisor', 'leader')
  @Get('dashboard')
  @ApiOperation({
    operationId: 'supervision.dashboard',
    summary: '督办 dashboard: lights, overdue items and counts per unit, computed on each call',
  })
  @ApiOkResponse({ type: SupervisionDashboard })
  dashboard(): Promise<SupervisionDashboard> {
    return this.supervision.dashboard();
  }
}

@ApiTags('calendar')
@Controller('calendar')
export class WorkCalendarController {
  constructor(private readonly calendar: WorkCalendarService) {}

  @Roles('secretariat', 'supervisor', 'leader', 'unit_handler')
  @Get()
  @ApiOperation({ operationId: 'calendar.list', summary: 'The holidays and make-up workdays, in date order' })
  @ApiPageResponse(CalendarDayView)
  list(@Query() query: CalendarQueryDto): Promise<Page<CalendarDayView>> {
    return this.calendar.list(query);
  }

  @Roles('secretariat')
  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'calendar.setDay',
    summary: 'Set a day as a holiday (法定节假日) or a make-up workday (调休)',
    description: 'Idempotent: setting a day again replaces its kind and name (200 either way).',
  })
  @ApiOkResponse({ type: CalendarDayView })
  set(@CurrentActor() actor: Actor, @Body() dto: CalendarDayDto): Promise<CalendarDayView> {
    return this.calendar.upsert(actor, dto);
  }

  @Roles('secretariat')
  @Delete(':day')
  @ApiOperation({
    operationId: 'calendar.removeDay',
    summary: 'Remove a day from the calendar (it is an ordinary day again)',
  })
  @ApiParam({ name: 'day', schema: { type: 'string', format: 'date', example: '2026-10-01' } })
  @ApiOkResponse({ type: CalendarDayRemoved })
  remove(@CurrentActor() actor: Actor, @Param('day') day: string): Promise<CalendarDayRemoved> {
    return this.calendar.remove(actor, day);
  }
}

@ApiTags('tasks')
@Controller()
export class TaskListsController {
  constructor(private readonly queries: TaskQueriesService) {}

  @Roles('secretariat', 'supervisor', 'leader')
  @Get('meetings/:meetingId/task-list')
  @ApiOperation({
    operationId: 'tasks.meetingList',
    summary: '一会一单: a meeting’s decided matters with per-item progress',
    description: '`counts` cover every item of the meeting; `items` come a page at a time, oldest first.',
  })
  @ApiOkResponse({ type: MeetingTaskList })
  meetingList(
    @Param('meetingId', ParseUUIDPipe) meetingId: string,
    @Query() query: PageQueryDto,
  ): Promise<MeetingTaskList> {
    return this.queries.meetingList(meetingId, query);
  }
}

@ApiTags('inputs')
@Controller('inputs')
export class InputDispositionsController {
  constructor(private readonly dispositions: InputDispositionsService) {}

  @Roles('secretariat')
  @Post(':inputId/answer')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'inputs.answer',
    summary: '直接答复: answer an input without a task item; its author is notified',
  })
  @ApiOkResponse({ type: InputDispositionResult })
  @ApiErrors('CONFLICT')
  answer(
    @CurrentActor() actor: Actor,
    @Param('inputId', ParseUUIDPipe) inputId: string,
    @Body() dto: AnswerInputDto,
  ): Promise<InputDispositionResult> {
    return this.dispositions.answerInput(actor, inputId, dto.text);
  }

  @Roles('secretariat')
  @Post(':inputId/decline')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'inputs.decline',
    summary: '不予采纳: decline an input with the reason; its author is notified',
  })
  @ApiOkResponse({ type: InputDispositionResult })
  @ApiErrors('CONFLICT')
  decline(
    @CurrentActor() actor: Actor,
    @Param('inputId', ParseUUIDPipe) inputId: string,
    @Body() dto: ReasonDto,
  ): Promise<InputDispositionResult> {
    return this.dispositions.declineInput(actor, inputId, dto.reason);
  }
}

@ApiTags('public')
@Controller('public')
export class PublicTasksController {
  constructor(private readonly queries: TaskQueriesService) {}

  @Public()
  @Get('tasks')
  @ApiOperation({
    operationId: 'public.tasks',
    summary: '政务公开: published items and their handling results, in publication order',
    description: 'No personal data: no proposers, no authors, no contact details.',
  })
  @ApiPageResponse(PublicTaskView)
  publicTasks(@Query() query: PageQueryDto): Promise<Page<PublicTaskView>> {
    return this.queries.publicItems(query);
  }
}
