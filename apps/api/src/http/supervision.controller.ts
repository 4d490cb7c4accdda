import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AnswerInputDto,
  type CalendarDayView,
  CalendarDayDto,
  CalendarQueryDto,
  InputDispositionsService,
  type MeetingTaskList,
  type PublicTaskView,
  ReasonDto,
  type SupervisionDashboard,
  SupervisionService,
  TaskQueriesService,
  WorkCalendarService,
} from '@liexi/handling';
import { type Actor, CurrentActor, type Page, PageQueryDto, pageSize, Public, Roles } from '@liexi/platform';
import { PublicTasksPageDto } from './notices-responses.dto';

@ApiTags('supervision')
@ApiBearerAuth()
@Controller('supervision')
export class SupervisionController {
  constructor(private readonly supervision: SupervisionService) {}

  /** 督办 dashboard: lights, overdue items, counts per unit — computed on each call. */
  @Roles('secretariat', 'supervisor', 'leader')
  @Get('dashboard')
  dashboard(): Promise<SupervisionDashboard> {
    return this.supervision.dashboard();
  }
}

@ApiTags('supervision')
@ApiBearerAuth()
@Controller('calendar')
export class WorkCalendarController {
  constructor(private readonly calendar: WorkCalendarService) {}

  @Roles('secretariat', 'supervisor', 'leader', 'unit_handler')
  @Get()
  list(@Query() query: CalendarQueryDto): Promise<CalendarDayView[]> {
    return this.calendar.list(query.year);
  }

  /** A holiday (法定节假日) or a make-up workday (调休). */
  @Roles('secretariat')
  @Post()
  @HttpCode(200)
  set(@CurrentActor() actor: Actor, @Body() dto: CalendarDayDto): Promise<CalendarDayView> {
    return this.calendar.upsert(actor, dto);
  }

  @Roles('secretariat')
  @Delete(':day')
  remove(@CurrentActor() actor: Actor, @Param('day') day: string): Promise<{ removed: boolean }> {
    return this.calendar.remove(actor, day);
  }
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller()
export class TaskListsController {
  constructor(
    private readonly queries: TaskQueriesService,
    private readonly dispositions: InputDispositionsService,
  ) {}

  /** 一会一单: the meeting's decided matters as one list with per-item progress. */
  @Roles('secretariat', 'supervisor', 'leader')
  @Get('meetings/:meetingId/task-list')
  meetingList(@Param('meetingId', ParseUUIDPipe) meetingId: string): Promise<MeetingTaskList> {
    return this.queries.meetingList(meetingId);
  }

  /** 直接答复: the input is answered without a task item. */
  @Roles('secretariat')
  @Post('inputs/:inputId/answer')
  @HttpCode(200)
  answer(
    @CurrentActor() actor: Actor,
    @Param('inputId', ParseUUIDPipe) inputId: string,
    @Body() dto: AnswerInputDto,
  ): Promise<{ inputId: string; disposition: 'answered' }> {
    return this.dispositions.answerInput(actor, inputId, dto.text);
  }

  /** 不予采纳, with the reason. */
  @Roles('secretariat')
  @Post('inputs/:inputId/decline')
  @HttpCode(200)
  decline(
    @CurrentActor() actor: Actor,
    @Param('inputId', ParseUUIDPipe) inputId: string,
    @Body() dto: ReasonDto,
  ): Promise<{ inputId: string; disposition: 'declined' }> {
    return this.dispositions.declineInput(actor, inputId, dto.reason);
  }

  /** 政务公开: decided items and their handling results, with no personal data (paginated; see also /api/public/items). */
  @Public()
  @ApiOkResponse({ type: PublicTasksPageDto })
  @Get('public/tasks')
  publicTasks(@Query() q: PageQueryDto): Promise<Page<PublicTaskView>> {
    return this.queries.publicItems(pageSize(q), q.cursor);
  }
}
