import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FigurePageQueryDto, type LedgerRow, LedgerService } from '@liexi/insights';
import { type Page, pageSize, Roles } from '@liexi/platform';
import { figureQuery } from './figures.controller';
import { LedgerPageDto } from './insights-responses.dto';

@ApiTags('insights')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    summary: '台账: one row per item, filtered like the figures',
    description:
      'Roles: secretariat, leader, supervisor. Assigned items by assignment time, then drafts (a period filter leaves drafts out). Paginated; the same rows as .xlsx: GET /api/exports/ledger.xlsx.',
    operationId: 'ledger.list',
  })
  @ApiOkResponse({ type: LedgerPageDto })
  @Get()
  rows(@Query() q: FigurePageQueryDto): Promise<Page<LedgerRow>> {
    return this.ledger.page(figureQuery(q), pageSize(q), q.cursor);
  }
}
