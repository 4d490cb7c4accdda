import {
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
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { InputView } from '@liexi/contracts';
import { LiveService } from '@liexi/live';
import {
  AddAttachmentDto,
  type AgendaItemView,
  AgendaService,
  AttendanceService,
  CreateAgendaItemDto,
  CreateMeetingDto,
  DeclineInvitationDto,
  InvitationsService,
  type InvitationView,
  InviteDto,
  MeetingsService,
  type MeetingSummaryView,
  type MeetingView,
  ReorderAgendaDto,
  UpdateAgendaItemDto,
  UpdateMeetingDto,
  WithdrawInvitationDto,
} from '@liexi/meetings';
import { type Actor, CurrentActor, Roles } from '@liexi/platform';

@ApiTags('meetings')
@ApiBearerAuth()
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
  create(@CurrentActor() actor: Actor, @Body() dto: CreateMeetingDto): Promise<MeetingView> {
    return this.meetings.create(actor, dto);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee')
  @Get('meetings')
  list(@CurrentActor() actor: Actor): Promise<MeetingSummaryView[]> {
    return this.meetings.list(actor);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee')
  @Get('meetings/:id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingView> {
    return this.meetings.get(actor, id);
  }

  @Roles('secretariat')
  @Post('meetings/:id/agenda')
  addAgendaItem(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateAgendaItemDto,
  ): Promise<AgendaItemView> {
    return this.agenda.add(actor, id, dto);
  }

  @Roles('secretariat')
  @Post('meetings/:id/schedule')
  @HttpCode(200)
  schedule(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<MeetingSummaryView> {
    return this.meetings.transition(actor, id, 'schedule');
  }

  @Roles('secretariat')
  @Post('meetings/:id/open')
  @HttpCode(200)
  open(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingSummaryView> {
    return this.meetings.transition(actor, id, 'open');
  }

  @Roles('secretariat')
  @Post('meetings/:id/adjourn')
  @HttpCode(200)
  adjourn(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingSummaryView> {
    return this.meetings.transition(actor, id, 'adjourn');
  }

  @Roles('secretariat')
  @Post('meetings/:id/close')
  @HttpCode(200)
  close(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingSummaryView> {
    return this.meetings.transition(actor, id, 'close');
  }

  @Roles('secretariat')
  @Post('meetings/:id/cancel')
  @HttpCode(200)
  cancel(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingSummaryView> {
    return this.meetings.transition(actor, id, 'cancel');
  }

  @Roles('secretariat')
  @Post('meetings/:id/invitations')
  invite(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: InviteDto,
  ): Promise<InvitationView> {
    return this.invites.invite(actor, id, dto.participantId);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'attendee')
  @Get('meetings/:id/invitations')
  invitations(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<InvitationView[]> {
    return this.invites.list(actor, id);
  }

  @Roles('attendee')
  @Get('invitations/mine')
  mine(@CurrentActor() actor: Actor): Promise<InvitationView[]> {
    return this.invites.mine(actor);
  }

  @Roles('secretariat', 'attendee')
  @Post('invitations/:id/check-in')
  @HttpCode(200)
  checkIn(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InvitationView> {
    return this.attendance.checkIn(actor, id);
  }

  @Roles('secretariat')
  @Patch('meetings/:id')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMeetingDto,
  ): Promise<MeetingView> {
    return this.meetings.update(actor, id, dto);
  }

  @Roles('secretariat')
  @Patch('meetings/:id/agenda/:itemId')
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
  removeAgendaItem(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
  ): Promise<AgendaItemView[]> {
    return this.agenda.remove(actor, id, itemId);
  }

  @Roles('secretariat')
  @Post('meetings/:id/agenda/reorder')
  @HttpCode(200)
  reorderAgenda(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReorderAgendaDto,
  ): Promise<AgendaItemView[]> {
    return this.agenda.reorder(actor, id, dto.itemIds);
  }

  @Roles('secretariat')
  @Post('meetings/:id/agenda/:itemId/attachments')
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
  removeAttachment(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
  ): Promise<AgendaItemView> {
    return this.agenda.removeAttachment(actor, id, itemId, attachmentId);
  }

  @Roles('attendee')
  @Post('invitations/:id/accept')
  @HttpCode(200)
  accept(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InvitationView> {
    return this.invites.respond(actor, id, 'accept');
  }

  @Roles('attendee')
  @Post('invitations/:id/decline')
  @HttpCode(200)
  decline(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DeclineInvitationDto,
  ): Promise<InvitationView> {
    return this.invites.respond(actor, id, 'decline', dto.reason);
  }

  @Roles('secretariat')
  @Post('invitations/:id/withdraw')
  @HttpCode(200)
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: WithdrawInvitationDto,
  ): Promise<InvitationView> {
    return this.invites.withdraw(actor, id, dto.reason);
  }

  @Roles('secretariat')
  @Post('invitations/:id/attended')
  @HttpCode(200)
  attended(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InvitationView> {
    return this.attendance.mark(actor, id, 'mark_attended');
  }

  @Roles('secretariat')
  @Post('invitations/:id/absent')
  @HttpCode(200)
  absent(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InvitationView> {
    return this.attendance.mark(actor, id, 'mark_absent');
  }

  @Roles('secretariat')
  @Post('meetings/:id/attendance/finalize')
  @HttpCode(200)
  finalize(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<{ attended: number; absent: number }> {
    return this.attendance.finalize(actor, id);
  }

  @Roles('secretariat', 'attendee')
  @Get('invitations/:id/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="invitation.ics"')
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'RFC 5545 iCalendar file with one VEVENT', schema: { type: 'string' } })
  calendar(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<string> {
    return this.invites.calendar(actor, id);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee')
  @Get('meetings/:id/inputs')
  inputs(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InputView[]> {
    return this.live.listInputs(actor, id);
  }
}
