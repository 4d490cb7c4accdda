import { Module } from '@nestjs/common';
import { DirectoryModule } from '@liexi/directory';
import { HandlingModule } from '@liexi/handling';
import { MeetingsModule } from '@liexi/meetings';
import { AttendanceFiguresService } from './attendance-figures.service';
import { LedgerService } from './ledger.service';

@Module({
  imports: [HandlingModule, MeetingsModule, DirectoryModule],
  providers: [LedgerService, AttendanceFiguresService],
  exports: [LedgerService, AttendanceFiguresService],
})
export class InsightsModule {}
