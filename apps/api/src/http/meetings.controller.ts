import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { InputView, ListInputsQueryDto, LiveService } from '@liexi/live';
import {
  AddAttachmentDto,
  AgendaItemView,
  AgendaService,
  AgendaView,
  AttendanceFinalized,
  AttendanceService,
  CreateAgendaItemDto,
  CreateMeetingDto,
  DeclineInvitationDto,
  InvitationsService,
  InvitationView,
  InviteDto,
  ListMeetingsQueryDto,
  MeetingsService,
  MeetingSummaryView,
  MeetingView,
  ReorderAgendaDto,
  UpdateAgendaItemDto,
  UpdateMeetingDto,
  WithdrawInvitationDto,
} from '@liexi/meetings';
import {
  type Actor,
  ApiErrors,
  ApiPageResponse,
  CurrentActor,
  type Page,
  PageQueryDto,
  Roles,
} from '@liexi/platform';

const ANYONE = ['secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee'] as const;

/** A lifecycle step (a transition): 200 with the result; refused from a status that does not allow it. */
const Step = (tag: string, operationId: string, summary: string, type: new () => object): MethodDecorator =>
  applyDecorators(
    ApiTags(tag),
    ApiOperation({ operationId, summary }),
    ApiOkResponse({ type }),
    ApiErrors('INVALID_TRANSITION', 'CONFLICT'),
    HttpCode(200),
  );

/** Meetings, their agenda, invitations and attendance, and the inputs raised in them. */
@Controller()
export class MeetingsController {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly agenda: AgendaService,
    private readonly invites: InvitationsService,
    private readonly attendance: AttendanceService,
    private readonly live: LiveService,
  ) {}

  @Roles('secretariat')
  @Post('meetings')
  @ApiTags('meetings')
  @ApiOperation({
    operationId: 'meetings.create',
    summary: 'Plan a meeting (会议), optionally with its agenda',
  })
  @ApiCreatedResponse({ type: MeetingView })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateMeetingDto): Promise<MeetingView> {
    return this.meetings.create(actor, dto);
  }

  @Roles(...ANYONE)
  @Get('meetings')
  @ApiTags('meetings')
  @ApiOperation({
    operationId: 'meetings.list',
    summary: 'List the meetings the caller may see, newest first',
    description:
      'Overseers see every meeting, attendees those they are invited to, unit handlers those past planning.',
  })
  @ApiPageResponse(MeetingSummaryView)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListMeetingsQueryDto,
  ): Promise<Page<MeetingSummaryView>> {
    return this.meetings.list(actor, query);
  }

  @Roles(...ANYONE)
  @Get('meetings/:id')
  @ApiTags('meetings')
  @ApiOperation({ operationId: 'meetings.get', summary: 'A meeting with its agenda in order' })
  @ApiOkResponse({ type: MeetingView })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingView> {
    return this.meetings.get(actor, id);
  }

  @Roles('secretariat')
  @Patch('meetings/:id')
  @ApiTags('meetings')
  @ApiOperation({
    operationId: 'meetings.update',
    summary: 'Edit a meeting; a change of time or place notifies every invitee',
  })
  @ApiOkResponse({ type: MeetingView })
  @ApiErrors('INVALID_TRANSITION')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMeetingDto,
  ): Promise<MeetingView> {
    return this.meetings.update(actor, id, dto);
  }

  @Roles('secretariat')
  @Post('meetings/:id/schedule')
  @Step('meetings', 'meetings.schedule', 'Schedule a draft meeting', MeetingSummaryView)
  schedule(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<MeetingSummaryView> {
    return this.meetings.transition(actor, id, 'schedule');
  }

  @Roles('secretariat')
  @Post('meetings/:id/open')
  @Step('meetings', 'meetings.open', 'Open (or reopen) the session', MeetingSummaryView)
  open(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingSummaryView> {
    return this.meetings.transition(actor, id, 'open');
  }

  @Roles('secretariat')
  @Post('meetings/:id/adjourn')
  @Step('meetings', 'meetings.adjourn', 'Adjourn the session (休会)', MeetingSummaryView)
  adjourn(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingSummaryView> {
    return this.meetings.transition(actor, id, 'adjourn');
  }

  @Roles('secretariat')
  @Post('meetings/:id/close')
  @Step('meetings', 'meetings.close', 'Close the meeting', MeetingSummaryView)
  close(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingSummaryView> {
    return this.meetings.transition(actor, id, 'close');
  }

  @Roles('secretariat')
  @Post('meetings/:id/cancel')
  @Step('meetings', 'meetings.cancel', 'Cancel the meeting; every invitee is notified', MeetingSummaryView)
  cancel(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingSummaryView> {
    return this.meetings.transition(actor, id, 'cancel');
  }

  @Roles('secretariat')
  @Post('meetings/:id/agenda')
  @ApiTags('agenda')
  @ApiOperation({ operationId: 'agenda.add', summary: 'Add an agenda item (议题) at the end' })
  @ApiCreatedResponse({ type: AgendaItemView })
  @ApiErrors('INVALID_TRANSITION')
  addAgendaItem(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateAgendaItemDto,
  ): Promise<AgendaItemView> {
    return this.agenda.add(actor, id, dto);
  }

  @Roles('secretariat')
  @Patch('meetings/:id/agenda/:itemId')
  @ApiTags('agenda')
  @ApiOperation({
    operationId: 'agenda.update',
    summary: 'Edit an agenda item: title, category, topics, state',
  })
  @ApiOkResponse({ type: AgendaItemView })
  @ApiErrors('INVALID_TRANSITION')
  updateAgendaItem(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() dto: UpdateAgendaItemDto,
  ): Promise<AgendaItemView> {
    return this.agenda.update(actor, id, itemId, dto);
  }

  @Roles('secretariat')
  @Delete('meetings/:id/agenda/:itemId')
  @ApiTags('agenda')
  @ApiOperation({
    operationId: 'agenda.remove',
    summary: 'Remove an agenda item; the positions close up',
    description: 'CONFLICT while a task item or an input refers to it.',
  })
  @ApiOkResponse({ type: AgendaView, description: 'the remaining agenda' })
  @ApiErrors('INVALID_TRANSITION', 'CONFLICT')
  async removeAgendaItem(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
  ): Promise<AgendaView> {
    return { meetingId: id, items: await this.agenda.remove(actor, id, itemId) };
  }

  @Roles('secretariat')
  @Post('meetings/:id/agenda/reorder')
  @HttpCode(200)
  @ApiTags('agenda')
  @ApiOperation({
    operationId: 'agenda.reorder',
    summary: 'Put the agenda in a new order (every item id, once)',
  })
  @ApiOkResponse({ type: AgendaView })
  @ApiErrors('INVALID_TRANSITION')
  async reorderAgenda(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReorderAgendaDto,
  ): Promise<AgendaView> {
    return { meetingId: id, items: await this.agenda.reorder(actor, id, dto.itemIds) };
  }

  @Roles('secretariat')
  @Post('meetings/:id/agenda/:itemId/attachments')
  @ApiTags('agenda')
  @ApiOperation({
    operationId: 'agenda.addAttachment',
    summary: 'Attach a document link (title + http(s) URL)',
  })
  @ApiCreatedResponse({ type: AgendaItemView })
  @ApiErrors('INVALID_TRANSITION')
  addAttachment(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() dto: AddAttachmentDto,
  ): Promise<AgendaItemView> {
    return this.agenda.addAttachment(actor, id, itemId, dto);
  }

  @Roles('secretariat')
  @Delete('meetings/:id/agenda/:itemId/attachments/:attachmentId')
  @ApiTags('agenda')
  @ApiOperation({ operationId: 'agenda.removeAttachment', summary: 'Remove a document link' })
  @ApiOkResponse({ type: AgendaItemView })
  @ApiErrors('INVALID_TRANSITION')
  removeAttachment(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
  ): Promise<AgendaItemView> {
    return this.agenda.removeAttachment(actor, id, itemId, attachmentId);
  }

  @Roles('secretariat')
  @Post('meetings/:id/invitations')
  @ApiTags('invitations')
  @ApiOperation({
    operationId: 'invitations.create',
    summary: 'Invite a person by hand (an overlap with another meeting is noted, not refused)',
  })
  @ApiCreatedResponse({ type: InvitationView })
  @ApiErrors('INVALID_TRANSITION', 'CONFLICT')
  invite(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: InviteDto,
  ): Promise<InvitationView> {
    return this.invites.invite(actor, id, dto.participantId);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'attendee')
  @Get('meetings/:id/invitations')
  @ApiTags('invitations')
  @ApiOperation({
    operationId: 'invitations.list',
    summary: 'The meeting’s invitations in the order they were made (an attendee sees only their own)',
  })
  @ApiPageResponse(InvitationView)
  invitations(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<InvitationView>> {
    return this.invites.list(actor, id, query);
  }

  @Roles('attendee')
  @Get('invitations/mine')
  @ApiTags('invitations')
  @ApiOperation({ operationId: 'invitations.mine', summary: 'The caller’s own invitations, newest first' })
  @ApiPageResponse(InvitationView)
  mine(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<InvitationView>> {
    return this.invites.mine(actor, query);
  }

  @Roles('secretariat', 'attendee')
  @Post('invitations/:id/check-in')
  @Step('invitations', 'invitations.checkIn', 'Check in (签到) while the meeting is open', InvitationView)
  checkIn(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InvitationView> {
    return this.attendance.checkIn(actor, id);
  }

  @Roles('attendee')
  @Post('invitations/:id/accept')
  @Step('invitations', 'invitations.accept', 'Accept the invitation', InvitationView)
  accept(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InvitationView> {
    return this.invites.respond(actor, id, 'accept');
  }

  @Roles('attendee')
  @Post('invitations/:id/decline')
  @Step('invitations', 'invitations.decline', 'Decline the invitation with a reason', InvitationView)
  decline(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DeclineInvitationDto,
  ): Promise<InvitationView> {
    return this.invites.respond(actor, id, 'decline', dto.reason);
  }

  @Roles('secretariat')
  @Post('invitations/:id/withdraw')
  @Step(
    'invitations',
    'invitations.withdraw',
    'Withdraw the invitation; the person is notified',
    InvitationView,
  )
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: WithdrawInvitationDto,
  ): Promise<InvitationView> {
    return this.invites.withdraw(actor, id, dto.reason);
  }

  @Roles('secretariat')
  @Post('invitations/:id/attended')
  @Step(
    'invitations',
    'invitations.markAttended',
    'Mark as attended (after the meeting adjourns)',
    InvitationView,
  )
  attended(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InvitationView> {
    return this.attendance.mark(actor, id, 'mark_attended');
  }

  @Roles('secretariat')
  @Post('invitations/:id/absent')
  @Step(
    'invitations',
    'invitations.markAbsent',
    'Mark as absent (after the meeting adjourns)',
    InvitationView,
  )
  absent(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InvitationView> {
    return this.attendance.mark(actor, id, 'mark_absent');
  }

  @Roles('secretariat')
  @Post('meetings/:id/attendance/finalize')
  @Step(
    'invitations',
    'invitations.finalizeAttendance',
    'Finalize attendance: checked in → attended, the rest → absent',
    AttendanceFinalized,
  )
  finalize(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<AttendanceFinalized> {
    return this.attendance.finalize(actor, id);
  }

  @Roles('secretariat', 'attendee')
  @Get('invitations/:id/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="invitation.ics"')
  @ApiTags('invitations')
  @ApiOperation({
    operationId: 'invitations.calendar',
    summary: 'The invitation as an iCalendar file (.ics)',
  })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'RFC 5545 iCalendar file with one VEVENT', schema: { type: 'string' } })
  calendar(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<string> {
    return this.invites.calendar(actor, id);
  }

  @Roles(...ANYONE)
  @Get('meetings/:id/inputs')
  @ApiTags('inputs')
  @ApiOperation({
    operationId: 'inputs.list',
    summary: 'The inputs (意见建议) raised in a meeting, in the order they were raised',
    description: 'Hidden inputs are left out; anonymous authors are never shown.',
  })
  @ApiPageResponse(InputView)
  inputs(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ListInputsQueryDto,
  ): Promise<Page<InputView>> {
    return this.live.listInputs(actor, id, query);
  }
}
