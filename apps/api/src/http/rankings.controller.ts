import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DEFAULT_CRITERIA,
  FigurePageQueryDto,
  type LateUnitRow,
  type Ranking,
  RankingQueryDto,
  RankingsService,
} from '@liexi/insights';
import { type Page, pageSize, Roles } from '@liexi/platform';
import { figureQuery } from './figures.controller';
import { LateUnitsPageDto, RankingDto } from './insights-responses.dto';

@ApiTags('figures')
@ApiBearerAuth()
@Controller('rankings')
export class RankingsController {
  constructor(private readonly rankings: RankingsService) {}

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    summary: '排名通报: units ranked by the criteria given (shown in the answer)',
    description:
      'Roles: secretariat, leader, supervisor. Criteria in order of precedence; ties share a rank. Paginated by rank.',
    operationId: 'rankings.units',
  })
  @ApiOkResponse({ type: RankingDto })
  @Get()
  ranking(@Query() q: RankingQueryDto): Promise<Ranking> {
    const criteria = q.criteria ? q.criteria.split(',') : DEFAULT_CRITERIA;
    return this.rankings.ranking(figureQuery(q), criteria, pageSize(q), q.cursor);
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    summary: 'Late units for a progress meeting (most overdue working days first)',
    description: 'Roles: secretariat, leader, supervisor. Paginated.',
    operationId: 'rankings.lateUnits',
  })
  @ApiOkResponse({ type: LateUnitsPageDto })
  @Get('late-units')
  lateUnits(@Query() q: FigurePageQueryDto): Promise<Page<LateUnitRow>> {
    return this.rankings.lateUnits(figureQuery(q), pageSize(q), q.cursor);
  }
}
