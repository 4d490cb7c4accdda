import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '@liexi/directory';
import { MeetingsModule } from '@liexi/meetings';
import { InputEntity } from './input.entity';
import { LiveService } from './live.service';

@Module({
  imports: [TypeOrmModule.forFeature([InputEntity]), MeetingsModule, DirectoryModule],
  providers: [LiveService],
  exports: [LiveService],
})
export class LiveModule {}
