import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  type FigureQuery,
  FigureFilterDto,
  FIGURES,
  FigureItemsQueryDto,
  FigurePageQueryDto,
  type FigureRowView,
  type FiguresOverview,
  FiguresService,
  type MeetingListView,
  MeetingListsService,
} from '@liexi/insights';
import { type Page, pageSize, Roles } from '@liexi/platform';
import { FigureRowsPageDto, FiguresOverviewDto, MeetingListsPageDto } from './insights-responses.dto';

/** The filters of a query DTO (without paging), as the services take them. */
export function figureQuery(q: FigureFilterDto): FigureQuery {
  const { from, to, meetingId, meetingKind, unitId, taskClass, category, constituency } = q;
  return Object.fromEntries(
    Object.entries({ from, to, meetingId, meetingKind, unitId, taskClass, category, constituency }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}

@ApiTags('figures')
@ApiBearerAuth()
@Controller()
export class FiguresController {
  constructor(
    private readonly figures: FiguresService,
    private readonly lists: MeetingListsService,
  ) {}

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    summary: 'Every figure (FIGURES.md) under the filters, computed from the records',
    description:
      'Roles: secretariat, leader, supervisor. Each figure: its denominator (`total`), parts that add up to it, numerator and rate.',
    operationId: 'figures.overview',
  })
  @ApiOkResponse({ type: FiguresOverviewDto })
  @Get('figures')
  overview(@Query() q: FigureFilterDto): Promise<FiguresOverview> {
    return this.figures.overview(figureQuery(q));
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    summary: 'Drill-down: the rows behind one part of a figure (or its numerator / denominator)',
    description:
      'Roles: secretariat, leader, supervisor. Paginated; the pages of a part add up to its count.',
    operationId: 'figures.items',
  })
  @ApiParam({ name: 'code', enum: FIGURES.map((f) => f.code), example: 'reply_rate' })
  @ApiOkResponse({ type: FigureRowsPageDto })
  @Get('figures/:code/items')
  items(@Param('code') code: string, @Query() q: FigureItemsQueryDto): Promise<Page<FigureRowView>> {
    return this.figures.items(code, q.part, figureQuery(q), pageSize(q), q.cursor);
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    summary: '一会一单: every meeting’s items by state (overdue counted)',
    description: 'Roles: secretariat, leader, supervisor. Paginated by meeting.',
    operationId: 'figures.meetingLists',
  })
  @ApiOkResponse({ type: MeetingListsPageDto })
  @Get('meeting-lists')
  meetingLists(@Query() q: FigurePageQueryDto): Promise<Page<MeetingListView>> {
    return this.lists.list(figureQuery(q), pageSize(q), q.cursor);
  }
}
