import { type DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { DemoModule } from '@liexi/demo';
import { DirectoryModule } from '@liexi/directory';
import { HandlingModule } from '@liexi/handling';
import { InsightsModule } from '@liexi/insights';
import { LiveModule } from '@liexi/live';
import { MeetingsModule } from '@liexi/meetings';
import { JobsModule, PlatformModule, type PlatformOptions } from '@liexi/platform';
import { AttendanceFiguresController } from './http/attendance-figures.controller';
import { AppraisalsController } from './http/appraisals.controller';
import { AuthController } from './http/auth.controller';
import { DirectoryController } from './http/directory.controller';
import { DocsController } from './http/docs.controller';
import { ExportsController } from './http/exports.controller';
import { FiguresController } from './http/figures.controller';
import { HealthController } from './http/health.controller';
import { InvitationPlanningController } from './http/invitation-planning.controller';
import { LedgerController } from './http/ledger.controller';
import { MeetingsController } from './http/meetings.controller';
import { PresenceController } from './http/presence.controller';
import { NotificationsController } from './http/notifications.controller';
import { PublicController } from './http/public.controller';
import { RankingsController } from './http/rankings.controller';
import {
  InputDispositionsController,
  PublicTasksController,
  SupervisionController,
  TaskListsController,
  WorkCalendarController,
} from './http/supervision.controller';
import { TaskRecordsController } from './http/task-records.controller';
import { TasksController } from './http/tasks.controller';
import { LiveGateway } from './live/live.gateway';
import { SupervisionGateway } from './live/supervision.gateway';

@Module({})
export class AppModule {
  /** `webRoot`: the built screens (apps/web), served at `/` beside `/api` and the socket namespaces. */
  static register(options: PlatformOptions, webRoot?: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...(webRoot
          ? [
              ServeStaticModule.forRoot({
                rootPath: webRoot,
                // Client routes (/tablet, /console, /dashboard) answer index.html; /api stays the api's.
                exclude: ['/api', '/api/{*path}'],
                serveStaticOptions: { index: 'index.html', maxAge: 0 },
              }),
            ]
          : []),
        PlatformModule.register(options),
        JobsModule,
        DirectoryModule,
        MeetingsModule,
        LiveModule,
        HandlingModule,
        InsightsModule,
        DemoModule,
      ],
      controllers: [
        HealthController,
        AuthController,
        DirectoryController,
        MeetingsController,
        TasksController,
        LedgerController,
        SupervisionController,
        WorkCalendarController,
        TaskListsController,
        InputDispositionsController,
        PublicTasksController,
        InvitationPlanningController,
        AttendanceFiguresController,
        DocsController,
        PresenceController,
        // issue 10: insights
        FiguresController,
        RankingsController,
        ExportsController,
        NotificationsController,
        PublicController,
        TaskRecordsController,
        AppraisalsController,
      ],
      providers: [LiveGateway, SupervisionGateway],
    };
  }
}
