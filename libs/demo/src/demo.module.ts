import { Module } from '@nestjs/common';
import { DirectoryModule } from '@liexi/directory';
import { MeetingsModule } from '@liexi/meetings';
import { DemoSeedService } from './demo-seed.service';

@Module({
  imports: [DirectoryModule, MeetingsModule],
  providers: [DemoSeedService],
  exports: [DemoSeedService],
})
export class DemoModule {}
