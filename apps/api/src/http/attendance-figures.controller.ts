import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AttendanceFigures, AttendanceFiguresService, AttendanceFiguresView } from '@liexi/insights';
import { FiguresQueryDto } from '@liexi/meetings';
import { Roles } from '@liexi/platform';

@ApiTags('figures')
@Controller()
export class AttendanceFiguresController {
  constructor(private readonly figures: AttendanceFiguresService) {}

  @Roles('secretariat', 'leader', 'supervisor')
  @Get('figures/attendance')
  @ApiOperation({
    operationId: 'figures.attendance',
    summary: '列席人次: person-times invited and attended by constituency, category and month',
    description: 'Computed from the invitation records on every call (never stored); `definitions` says how.',
  })
  @ApiOkResponse({ type: AttendanceFiguresView })
  attendance(@Query() q: FiguresQueryDto): Promise<AttendanceFigures> {
    return this.figures.figures({ ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) });
  }
}
