import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { InputView } from '@liexi/contracts';
import { LiveService } from '@liexi/live';
import {
  CreateAgendaItemDto,
  CreateMeetingDto,
  type AgendaItemEntity,
  type InvitationEntity,
  InviteDto,
  type MeetingEntity,
  type MeetingView,
  MeetingsService,
} from '@liexi/meetings';
import { type Actor, CurrentActor, Roles } from '@liexi/platform';

@ApiTags('meetings')
@ApiBearerAuth()
@Controller()
export class MeetingsController {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly live: LiveService,
  ) {}

  @Roles('secretariat')
  @Post('meetings')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateMeetingDto): Promise<MeetingView> {
    return this.meetings.create(actor, dto);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee')
  @Get('meetings')
  list(@CurrentActor() actor: Actor): Promise<MeetingEntity[]> {
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
  ): Promise<AgendaItemEntity> {
    return this.meetings.addAgendaItem(actor, id, dto);
  }

  @Roles('secretariat')
  @Post('meetings/:id/schedule')
  @HttpCode(200)
  schedule(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingEntity> {
    return this.meetings.transition(actor, id, 'schedule');
  }

  @Roles('secretariat')
  @Post('meetings/:id/open')
  @HttpCode(200)
  open(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingEntity> {
    return this.meetings.transition(actor, id, 'open');
  }

  @Roles('secretariat')
  @Post('meetings/:id/adjourn')
  @HttpCode(200)
  adjourn(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingEntity> {
    return this.meetings.transition(actor, id, 'adjourn');
  }

  @Roles('secretariat')
  @Post('meetings/:id/close')
  @HttpCode(200)
  close(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingEntity> {
    return this.meetings.transition(actor, id, 'close');
  }

  @Roles('secretariat')
  @Post('meetings/:id/cancel')
  @HttpCode(200)
  cancel(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MeetingEntity> {
    return this.meetings.transition(actor, id, 'cancel');
  }

  @Roles('secretariat')
  @Post('meetings/:id/invitations')
  invite(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: InviteDto,
  ): Promise<InvitationEntity> {
    return this.meetings.invite(actor, id, dto.participantId);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'attendee')
  @Get('meetings/:id/invitations')
  invitations(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<InvitationEntity[]> {
    return this.meetings.listInvitations(actor, id);
  }

  @Roles('attendee')
  @Get('invitations/mine')
  mine(@CurrentActor() actor: Actor): Promise<InvitationEntity[]> {
    return this.meetings.myInvitations(actor);
  }

  @Roles('secretariat', 'attendee')
  @Post('invitations/:id/check-in')
  @HttpCode(200)
  checkIn(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InvitationEntity> {
    return this.meetings.checkIn(actor, id);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee')
  @Get('meetings/:id/inputs')
  inputs(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InputView[]> {
    return this.live.listInputs(actor, id);
  }
}
