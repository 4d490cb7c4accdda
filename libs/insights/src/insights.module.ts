import { Module } from '@nestjs/common';
import { DirectoryModule } from '@liexi/directory';
import { HandlingModule } from '@liexi/handling';
import { MeetingsModule } from '@liexi/meetings';
import { LedgerService } from './ledger.service';

@Module({
  imports: [HandlingModule, MeetingsModule, DirectoryModule],
  providers: [LedgerService],
  exports: [LedgerService],
})
export class InsightsModule {}
