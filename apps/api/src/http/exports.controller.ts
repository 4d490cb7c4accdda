import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FigureFilterDto, LedgerExportService, ReportPdfService, ReportQueryDto } from '@liexi/insights';
import { MeetingsService } from '@liexi/meetings';
import { Roles } from '@liexi/platform';
import type { Response } from 'express';
import { figureQuery } from './figures.controller';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A file download: the body is the file itself. */
const FILE = { schema: { type: 'string', format: 'binary' } } as const;
const attachment = (name: string): string =>
  `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

@ApiTags('exports')
@ApiBearerAuth()
@Controller('exports')
export class ExportsController {
  constructor(
    private readonly ledger: LedgerExportService,
    private readonly reports: ReportPdfService,
    private readonly meetings: MeetingsService,
  ) {}

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    summary: '台账 as .xlsx (Chinese headers), filtered like the figures; streamed',
    description: 'Roles: secretariat, leader, supervisor.',
    operationId: 'exports.ledgerXlsx',
  })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'the .xlsx file', content: { [XLSX]: FILE } })
  @Get('ledger.xlsx')
  async ledgerXlsx(@Query() q: FigureFilterDto, @Res() res: Response): Promise<void> {
    res.setHeader('content-type', XLSX);
    res.setHeader('content-disposition', attachment('台账.xlsx'));
    await this.ledger.write(figureQuery(q), res);
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    summary:
      'The handling report (办理情况报告) as PDF: totals, class shares with examples, rates, late units',
    description: 'Roles: secretariat, leader, supervisor. The shape of seed 001, generated from the data.',
    operationId: 'exports.handlingReportPdf',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'the PDF file', content: { 'application/pdf': FILE } })
  @Get('report.pdf')
  async reportPdf(@Query() q: ReportQueryDto, @Res() res: Response): Promise<void> {
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', attachment('办理情况报告.pdf'));
    await this.reports.annualReport(figureQuery(q), q.subject ?? '建议提案', res);
  }

  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    summary: '一会一单 of one meeting as PDF',
    description: 'Roles: secretariat, leader, supervisor.',
    operationId: 'exports.meetingListPdf',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'the PDF file', content: { 'application/pdf': FILE } })
  @Get('meetings/:meetingId/list.pdf')
  async meetingListPdf(
    @Param('meetingId', ParseUUIDPipe) meetingId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.meetings.require(meetingId); // 404 before any byte is sent
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', attachment('一会一单.pdf'));
    await this.reports.meetingList(meetingId, res);
  }
}
