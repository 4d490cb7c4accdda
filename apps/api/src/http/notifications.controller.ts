import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  type Actor,
  CurrentActor,
  InboxService,
  type InboxNoticeView,
  type Page,
  PageQueryDto,
  pageSize,
  Roles,
} from '@liexi/platform';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { InboxNoticeDto, InboxPageDto, MarkedDto } from './notices-responses.dto';

const EVERYONE = ['secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee'] as const;

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'only unread notices' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly inbox: InboxService) {}

  @Roles(...EVERYONE)
  @ApiOperation({
    summary: 'My inbox: notices delivered to my account, newest first',
    description: 'Every role; one’s own notices only. Pushed live as `inbox.events` on /supervision.',
    operationId: 'notifications.list',
  })
  @ApiOkResponse({ type: InboxPageDto })
  @Get()
  list(@CurrentActor() actor: Actor, @Query() q: InboxQueryDto): Promise<Page<InboxNoticeView>> {
    return this.inbox.list(actor, { unread: q.unread, limit: pageSize(q), cursor: q.cursor });
  }

  @Roles(...EVERYONE)
  @ApiOperation({
    summary: 'Mark one notice read',
    description: 'Every role; own notices.',
    operationId: 'notifications.read',
  })
  @ApiOkResponse({ type: InboxNoticeDto })
  @Post(':id/read')
  @HttpCode(200)
  read(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InboxNoticeView> {
    return this.inbox.markRead(actor, id);
  }

  @Roles(...EVERYONE)
  @ApiOperation({
    summary: 'Mark all my notices read',
    description: 'Every role.',
    operationId: 'notifications.readAll',
  })
  @ApiOkResponse({ type: MarkedDto })
  @Post('read-all')
  @HttpCode(200)
  readAll(@CurrentActor() actor: Actor): Promise<{ marked: number }> {
    return this.inbox.markAllRead(actor);
  }
}
