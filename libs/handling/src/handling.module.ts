import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '@liexi/directory';
import { LiveModule } from '@liexi/live';
import { MeetingsModule } from '@liexi/meetings';
import { HandlingService } from './handling.service';
import { TaskItemEntity } from './task-item.entity';
import {
  TaskCooperatingUnitEntity,
  TaskEvaluationEntity,
  TaskProposerEntity,
  TaskReplyEntity,
  TaskSourceInputEntity,
} from './task-links.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      TaskItemEntity,
      TaskCooperatingUnitEntity,
      TaskSourceInputEntity,
      TaskProposerEntity,
      TaskReplyEntity,
      TaskEvaluationEntity,
    ]),
    DirectoryModule,
    MeetingsModule,
    LiveModule,
  ],
  providers: [HandlingService],
  exports: [HandlingService],
})
export class HandlingModule {}
