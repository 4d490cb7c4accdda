import { Module } from '@nestjs/common';
import { DirectoryModule } from '@liexi/directory';
import { HandlingModule } from '@liexi/handling';
import { LiveModule } from '@liexi/live';
import { MeetingsModule } from '@liexi/meetings';
import { AttendanceFiguresService } from './attendance-figures.service';
import { DashboardFeedService } from './dashboard-feed.service';
import { FiguresService } from './figures.service';
import { LedgerExportService } from './ledger-export.service';
import { LedgerService } from './ledger.service';
import { MeetingListsService } from './meeting-lists.service';
import { RankingsService } from './rankings.service';
import { ReportPdfService } from './report-pdf.service';

const SERVICES = [
  LedgerService,
  AttendanceFiguresService,
  FiguresService,
  RankingsService,
  MeetingListsService,
  LedgerExportService,
  ReportPdfService,
  DashboardFeedService,
];

@Module({
  imports: [HandlingModule, MeetingsModule, DirectoryModule, LiveModule],
  providers: SERVICES,
  exports: SERVICES,
})
export class InsightsModule {}
