import { Controller, Get, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type LedgerRow, LedgerService } from '@liexi/insights';
import { Roles } from '@liexi/platform';

@ApiTags('insights')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiQuery({ name: 'meetingId', required: false })
  @Get()
  rows(@Query('meetingId', new ParseUUIDPipe({ optional: true })) meetingId?: string): Promise<LedgerRow[]> {
    return this.ledger.rows(meetingId ? { meetingId } : {});
  }
}
