import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type LedgerRow, LedgerQueryDto, LedgerRowView, LedgerService } from '@liexi/insights';
import { ApiPageResponse, type Page, Roles } from '@liexi/platform';

@ApiTags('insights')
@Controller('ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Roles('secretariat', 'leader', 'supervisor')
  @Get()
  @ApiOperation({
    operationId: 'ledger.list',
    summary: '台账: one row per task item with names resolved, in creation order',
    description: 'Anonymous proposers appear only as a count. Every column is computed on each call.',
  })
  @ApiPageResponse(LedgerRowView)
  rows(@Query() query: LedgerQueryDto): Promise<Page<LedgerRow>> {
    return this.ledger.page(query.meetingId ? { meetingId: query.meetingId } : {}, query);
  }
}
