import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AttendanceFigures, AttendanceFiguresService } from '@liexi/insights';
import { FiguresQueryDto } from '@liexi/meetings';
import { Roles } from '@liexi/platform';

@ApiTags('figures')
@ApiBearerAuth()
@Controller()
export class AttendanceFiguresController {
  constructor(private readonly figures: AttendanceFiguresService) {}

  /** 列席人次: person-times invited and attended by constituency, category and month; attendance rate. */
  @Roles('secretariat', 'leader', 'supervisor')
  @Get('figures/attendance')
  attendance(@Query() q: FiguresQueryDto): Promise<AttendanceFigures> {
    return this.figures.figures({ ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) });
  }
}
