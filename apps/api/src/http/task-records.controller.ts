import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ContactDto,
  PublicationDto,
  PublicationService,
  type TaskContactView,
  TaskContactsService,
  type TaskHistoryEntry,
  TaskHistoryService,
} from '@liexi/handling';
import { type Actor, CurrentActor, type Page, PageQueryDto, pageSize, Roles } from '@liexi/platform';
import { ContactsPageDto, ContactViewDto, HistoryPageDto, PublicationViewDto } from './notices-responses.dto';

const ANYONE = ['secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee'] as const;

/** An item's history, its contacts with the proposers, and its publication. */
@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TaskRecordsController {
  constructor(
    private readonly history: TaskHistoryService,
    private readonly contacts: TaskContactsService,
    private readonly publication: PublicationService,
  ) {}

  @Roles(...ANYONE)
  @ApiOperation({
    summary: 'The item’s history: every transition and edit, when, from, to, comment and who',
    description:
      'Whoever may see the item (overseers; its lead and cooperating units; its proposers). An anonymous proposer’s own acts show no identity. Paginated, oldest first.',
    operationId: 'tasks.history',
  })
  @ApiOkResponse({ type: HistoryPageDto })
  @Get(':id/history')
  itemHistory(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQueryDto,
  ): Promise<Page<TaskHistoryEntry>> {
    return this.history.history(actor, id, pageSize(q), q.cursor);
  }

  @Roles('unit_handler', 'secretariat')
  @ApiOperation({
    summary: 'Record a contact with the proposers (见面率 counts visit, meeting, site)',
    description: 'Roles: the lead unit’s handlers, the secretariat.',
    operationId: 'tasks.addContact',
  })
  @ApiCreatedResponse({ type: ContactViewDto })
  @Post(':id/contacts')
  addContact(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ContactDto,
  ): Promise<TaskContactView> {
    return this.contacts.record(actor, id, dto);
  }

  @Roles(...ANYONE)
  @ApiOperation({
    summary: 'The contacts recorded on the item',
    description: 'Whoever may see the item. Paginated.',
    operationId: 'tasks.listContacts',
  })
  @ApiOkResponse({ type: ContactsPageDto })
  @Get(':id/contacts')
  listContacts(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQueryDto,
  ): Promise<Page<TaskContactView>> {
    return this.contacts.list(actor, id, pageSize(q), q.cursor);
  }

  @Roles('secretariat')
  @ApiOperation({
    summary: '政务公开: publish the item (or withdraw it) — an audited decision',
    description: 'Role: secretariat.',
    operationId: 'tasks.publication',
  })
  @ApiOkResponse({ type: PublicationViewDto })
  @Post(':id/publication')
  @HttpCode(200)
  publish(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PublicationDto,
  ): Promise<{ id: string; publishedAt: string | null }> {
    return this.publication.decide(actor, id, dto);
  }
}
