import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '@liexi/directory';
import { LiveModule } from '@liexi/live';
import { MeetingsModule } from '@liexi/meetings';
import { HandlingService } from './handling.service';
import {
  TaskAlertEntity,
  TaskCooperationOpinionEntity,
  TaskDeadlineChangeEntity,
  TaskProgressReportEntity,
  TaskReinspectionEntity,
  TaskReplyReviewEntity,
  WorkCalendarDayEntity,
} from './supervision.entity';
import { SupervisionService } from './supervision.service';
import { TaskItemEntity } from './task-item.entity';
import {
  TaskCooperatingUnitEntity,
  TaskEvaluationEntity,
  TaskProposerEntity,
  TaskReplyEntity,
  TaskSourceInputEntity,
} from './task-links.entity';
import { TaskWriter } from './task-writer';
import { WorkCalendarService } from './work-calendar.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      TaskItemEntity,
      TaskCooperatingUnitEntity,
      TaskSourceInputEntity,
      TaskProposerEntity,
      TaskReplyEntity,
      TaskEvaluationEntity,
      TaskCooperationOpinionEntity,
      TaskProgressReportEntity,
      TaskReplyReviewEntity,
      TaskDeadlineChangeEntity,
      TaskReinspectionEntity,
      TaskAlertEntity,
      WorkCalendarDayEntity,
    ]),
    DirectoryModule,
    MeetingsModule,
    LiveModule,
  ],
  providers: [HandlingService, SupervisionService, TaskWriter, WorkCalendarService],
  exports: [HandlingService, SupervisionService, WorkCalendarService],
})
export class HandlingModule {}
