import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FigurePageQueryDto, type LedgerRow, LedgerRowView, LedgerService } from '@liexi/insights';
import { ApiPageResponse, type Page, pageSize, Roles } from '@liexi/platform';
import { figureQuery } from './figures.controller';

@ApiTags('insights')
@Controller('ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Roles('secretariat', 'leader', 'supervisor')
  @Get()
  @ApiOperation({
    operationId: 'ledger.list',
    summary: '台账: one row per item, filtered like the figures',
    description:
      'Assigned items by assignment time, then drafts (a period filter leaves drafts out). Anonymous proposers appear only as a count; every column is computed on each call. The same rows as .xlsx: GET /api/exports/ledger.xlsx.',
  })
  @ApiPageResponse(LedgerRowView)
  rows(@Query() q: FigurePageQueryDto): Promise<Page<LedgerRow>> {
    return this.ledger.page(figureQuery(q), pageSize(q), q.cursor);
  }
}
