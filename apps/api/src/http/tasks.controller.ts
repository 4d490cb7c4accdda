import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  CreateTaskItemDto,
  DraftReplyDto,
  EvaluateDto,
  HandlingService,
  ListTasksQueryDto,
  OptionalCommentDto,
  ReasonDto,
  type TaskItemView,
} from '@liexi/handling';
import { type Actor, CurrentActor, Roles } from '@liexi/platform';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly handling: HandlingService) {}

  @Roles('secretariat')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTaskItemDto): Promise<TaskItemView> {
    return this.handling.create(actor, dto);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee')
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListTasksQueryDto): Promise<TaskItemView[]> {
    return this.handling.list(actor, query);
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee')
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.handling.get(actor, id);
  }

  @Roles('secretariat')
  @Post(':id/assign')
  @HttpCode(200)
  assign(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.handling.assign(actor, id);
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
    @Body() dto: ReasonDto,
  ): Promise<TaskItemView> {
    return this.handling.returnItem(actor, id, dto.reason);
  }

  @Roles('unit_handler')
  @Post(':id/start')
  @HttpCode(200)
  start(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.handling.start(actor, id);
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

  @Roles('leader')
  @Post(':id/reply/send-back')
  @HttpCode(200)
  sendBack(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReasonDto,
  ): Promise<TaskItemView> {
    return this.handling.sendBackReply(actor, id, dto.reason);
  }

  @Roles('leader')
  @Post(':id/reply/approve')
  @HttpCode(200)
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() _dto: OptionalCommentDto,
  ): Promise<TaskItemView> {
    return this.handling.approveReply(actor, id);
  }

  @Roles('secretariat')
  @Post(':id/reply/send')
  @HttpCode(200)
  send(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.handling.sendReply(actor, id);
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
  reopen(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskItemView> {
    return this.handling.reopen(actor, id);
  }
}
