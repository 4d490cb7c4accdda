import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '@liexi/directory';
import { LiveModule } from '@liexi/live';
import { MeetingsModule } from '@liexi/meetings';
import { AppraisalRuleService } from './appraisal-rule.service';
import { DeadlinesService } from './deadlines.service';
import { HandlingFiguresService } from './handling-figures.service';
import { PublicationService } from './publication.service';
import { TaskContactsService } from './task-contacts.service';
import { TaskFigureFacts } from './task-figure-facts';
import { TaskHistoryService } from './task-history.service';
import { InputDispositionsService } from './input-dispositions.service';
import { ReinspectionService } from './reinspection.service';
import { ReplyApprovalService } from './reply-approval.service';
import {
  TaskAlertEntity,
  TaskCooperationOpinionEntity,
  TaskDeadlineChangeEntity,
  TaskProgressReportEntity,
  TaskReinspectionEntity,
  TaskReplyReviewEntity,
  WorkCalendarDayEntity,
} from './supervision.entity';
import { SupervisionChannelsService } from './supervision-channels.service';
import { SupervisionService } from './supervision.service';
import { TaskAccessService } from './task-access.service';
import { TaskCommandsService } from './task-commands.service';
import { TaskItemEntity } from './task-item.entity';
import {
  TaskCooperatingUnitEntity,
  TaskEvaluationEntity,
  TaskProposerEntity,
  TaskReplyEntity,
  TaskSourceInputEntity,
} from './task-links.entity';
import { TaskNoticesService } from './task-notices.service';
import { TaskQueriesService } from './task-queries.service';
import { TaskViewsService } from './task-views.service';
import { TaskWriter } from './task-writer';
import { WorkCalendarService } from './work-calendar.service';

/** The services other modules and the api edge call; everything else stays inside. */
const PUBLIC = [
  TaskCommandsService,
  TaskQueriesService,
  ReplyApprovalService,
  InputDispositionsService,
  DeadlinesService,
  ReinspectionService,
  SupervisionService,
  SupervisionChannelsService,
  WorkCalendarService,
  HandlingFiguresService,
  TaskHistoryService,
  TaskContactsService,
  PublicationService,
  AppraisalRuleService,
  TaskFigureFacts,
];

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
  providers: [...PUBLIC, TaskWriter, TaskAccessService, TaskViewsService, TaskNoticesService],
  exports: PUBLIC,
})
export class HandlingModule {}
